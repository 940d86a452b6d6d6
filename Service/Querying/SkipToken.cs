using System.Text.Json;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Errors;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// The <c>$skiptoken</c> of a list's next link: the last row's sort keys (id last), bound to the query they belong to
/// (the set, $filter and $orderby) by <see cref="OpaqueToken"/>; it can never make a page start somewhere the query did
/// not put it.
/// </summary>
public static class SkipToken
{
    public const string Option = "$skiptoken";
    private const int Version = 1;

    public static string Create(SortOrder order, Run last, string query) => OpaqueToken.Create(query, writer =>
    {
        writer.WriteNumberValue(Version);
        foreach (var key in order.Keys)
        {
            if (key.ValueOf(last) is { } value)
            {
                key.Write(writer, value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    });

    /// <summary>The sort keys the token carries, one per key of <paramref name="order"/>; a 400 for any token not made by <see cref="Create"/> for this query.</summary>
    public static IReadOnlyList<object?> Read(string token, SortOrder order, string query)
    {
        using var document = OpaqueToken.Read(token, query) ?? throw Invalid();
        try
        {
            var items = document.RootElement;
            if (items.GetArrayLength() != order.Keys.Count + 1 || items[0].GetInt32() != Version)
            {
                throw Invalid();
            }

            return [.. order.Keys.Select((key, i) => ValueOf(items[i + 1], key))];
        }
        catch (Exception exception) when (exception is FormatException or InvalidOperationException)
        {
            throw Invalid();
        }
    }

    private static object? ValueOf(JsonElement item, SortKey key) => item.ValueKind == JsonValueKind.Null
        ? (key.IsNullable ? null : throw Invalid())
        : key.Read(item);

    /// <summary>Whether a cursor can carry every key of <paramref name="order"/> (see <see cref="SortKey.CursorCarries"/>).</summary>
    public static SortKey? FirstNotCarried(SortOrder order) => order.Keys.FirstOrDefault(key => !key.CursorCarries);

    public static ApiException Invalid() => ApiException.BadRequest("invalidSkipToken",
        "$skiptoken is not valid for this query: it was changed, cut short, or comes from a request with another $filter, $orderby or type. "
        + "Follow @odata.nextLink exactly as the service returned it, or drop $skiptoken to start from the first page.", Option);
}
