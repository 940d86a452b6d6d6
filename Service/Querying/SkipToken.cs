using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Errors;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// The opaque <c>$skiptoken</c> of a next link: the last row's sort keys (id last), and a check value over them and the
/// query they belong to (the set, $filter and $orderby). A token that was edited, truncated or taken from another query
/// fails the check and is a 400; it can never make a page start somewhere the query did not put it.
/// The check is a plain hash, not a secret: a cursor grants nothing the caller could not ask for with $filter.
/// </summary>
public static class SkipToken
{
    public const string Option = "$skiptoken";
    private const int Version = 1;
    private const int CheckLength = 12;

    public static string Create(SortOrder order, Run last, string query)
    {
        var payload = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(payload))
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(Version);
            foreach (var key in order.Keys)
            {
                switch (key.ValueOf(last))
                {
                    case null:
                        writer.WriteNullValue();
                        break;
                    case string text:
                        writer.WriteStringValue(text);
                        break;
                    case DateTimeOffset time:
                        writer.WriteStringValue(time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
                        break;
                    case RunStatus status:
                        writer.WriteNumberValue((int)status);
                        break;
                    case var other:
                        throw new InvalidOperationException($"No cursor form for {other.GetType()}.");
                }
            }

            writer.WriteEndArray();
        }

        var token = new byte[CheckLength + payload.WrittenCount];
        Check(query, payload.WrittenSpan).CopyTo(token);
        payload.WrittenSpan.CopyTo(token.AsSpan(CheckLength));
        return Base64Url.EncodeToString(token);
    }

    /// <summary>The sort keys the token carries, one per key of <paramref name="order"/>; a 400 for any token not made by <see cref="Create"/> for this query.</summary>
    public static IReadOnlyList<object?> Read(string token, SortOrder order, string query)
    {
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            throw Invalid();
        }

        if (bytes.Length <= CheckLength || !CryptographicOperations.FixedTimeEquals(bytes.AsSpan(0, CheckLength), Check(query, bytes.AsSpan(CheckLength))))
        {
            throw Invalid();
        }

        try
        {
            using var document = JsonDocument.Parse(bytes.AsMemory(CheckLength));
            var items = document.RootElement;
            if (items.ValueKind != JsonValueKind.Array || items.GetArrayLength() != order.Keys.Count + 1 || items[0].GetInt32() != Version)
            {
                throw Invalid();
            }

            return [.. order.Keys.Select((key, i) => ValueOf(items[i + 1], key))];
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException)
        {
            throw Invalid();
        }
    }

    private static object? ValueOf(JsonElement item, SortKey key)
    {
        if (item.ValueKind == JsonValueKind.Null)
        {
            return key.IsNullable ? null : throw Invalid();
        }

        var type = Nullable.GetUnderlyingType(key.ValueType) ?? key.ValueType;
        if (type == typeof(string))
        {
            return item.GetString();
        }

        if (type == typeof(DateTimeOffset))
        {
            return DateTimeOffset.ParseExact(item.GetString()!, "O", CultureInfo.InvariantCulture, DateTimeStyles.None);
        }

        return type == typeof(RunStatus) && Enum.IsDefined((RunStatus)item.GetInt32()) ? (RunStatus)item.GetInt32() : throw Invalid();
    }

    private static byte[] Check(string query, ReadOnlySpan<byte> payload)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(query) + 1 + payload.Length];
        var written = Encoding.UTF8.GetBytes(query, bytes);
        payload.CopyTo(bytes.AsSpan(written + 1));
        return SHA256.HashData(bytes)[..CheckLength];
    }

    public static ApiException Invalid() => ApiException.BadRequest("invalidSkipToken",
        "$skiptoken is not valid for this query: it was changed, cut short, or comes from a request with another $filter, $orderby or type. "
        + "Follow @odata.nextLink exactly as the service returned it, or drop $skiptoken to start from the first page.", Option);
}
