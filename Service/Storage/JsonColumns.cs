using System.Text.Json;
using IndustryData.OData.Model.Errors;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Runs;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace IndustryData.OData.Service.Storage;

/// <summary>
/// statistics and blockingError are stored as JSON text (contract §8). Open members are written back byte for byte
/// as the client sent them, so numbers keep their exact text.
/// </summary>
internal static class JsonColumns
{
    public static readonly ValueConverter<RunStatistics, string> StatisticsConverter = new(
        value => WriteStatistics(value),
        text => ReadStatistics(text));

    public static readonly ValueComparer<RunStatistics> StatisticsComparer = new(
        (left, right) => WriteStatistics(left!) == WriteStatistics(right!),
        value => StringComparer.Ordinal.GetHashCode(WriteStatistics(value)),
        value => ReadStatistics(WriteStatistics(value)));

    public static readonly ValueConverter<PublicError?, string?> PublicErrorConverter = new(
        value => value == null ? null : WritePublicError(value),
        text => text == null ? null : ReadPublicError(text));

    public static readonly ValueComparer<PublicError?> PublicErrorComparer = new(
        (left, right) => (left == null ? null : WritePublicError(left)) == (right == null ? null : WritePublicError(right)),
        value => value == null ? 0 : StringComparer.Ordinal.GetHashCode(WritePublicError(value)),
        value => value == null ? null : ReadPublicError(WritePublicError(value)));

    public static string WriteStatistics(RunStatistics statistics) =>
        statistics.UnchangedStoredJson ?? CompactJson.Object(statistics.OpenMembers);

    public static RunStatistics ReadStatistics(string text) => RunStatistics.FromStoredJson(text);

    /// <summary>The whole value parsed once into its own detached document; its members need no copies of their own.</summary>
    private static JsonElement ParseDetached(string text) => JsonElement.Parse(text);

    public static string WritePublicError(PublicError error) => CompactJson.Text(json =>
    {
        json.WriteStartObject();
        WriteString(json, "code", error.Code);
        WriteString(json, "message", error.Message);
        WriteString(json, "target", error.Target);
        WriteDetails(json, error.Details);
        if (error.InnerError is { } inner)
        {
            json.WritePropertyName("innerError");
            json.WriteStartObject();
            WriteString(json, "code", inner.Code);
            WriteString(json, "message", inner.Message);
            WriteString(json, "target", inner.Target);
            WriteDetails(json, inner.Details);
            foreach (var (name, value) in inner.OpenMembers)
            {
                json.WritePropertyName(name);
                value.WriteTo(json);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    });

    public static PublicError ReadPublicError(string text)
    {
        var root = ParseDetached(text);
        var error = new PublicError
        {
            Code = ReadString(root, "code"),
            Message = ReadString(root, "message"),
            Target = ReadString(root, "target"),
            Details = ReadDetails(root),
        };
        if (root.TryGetProperty("innerError", out var innerElement))
        {
            var inner = new PublicInnerError
            {
                Code = ReadString(innerElement, "code"),
                Message = ReadString(innerElement, "message"),
                Target = ReadString(innerElement, "target"),
                Details = ReadDetails(innerElement),
            };
            foreach (var member in innerElement.EnumerateObject())
            {
                if (member.Name is not ("code" or "message" or "target" or "details"))
                {
                    inner.OpenMembers[member.Name] = member.Value;
                }
            }

            error.InnerError = inner;
        }

        return error;
    }

    private static void WriteString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteDetails(Utf8JsonWriter json, IList<PublicErrorDetail>? details)
    {
        if (details is null)
        {
            return;
        }

        json.WriteStartArray("details");
        foreach (var detail in details)
        {
            json.WriteStartObject();
            WriteString(json, "code", detail.Code);
            WriteString(json, "message", detail.Message);
            WriteString(json, "target", detail.Target);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static string? ReadString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<PublicErrorDetail>? ReadDetails(JsonElement element)
    {
        if (!element.TryGetProperty("details", out var details) || details.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        return details.EnumerateArray()
            .Select(detail => new PublicErrorDetail
            {
                Code = ReadString(detail, "code"),
                Message = ReadString(detail, "message"),
                Target = ReadString(detail, "target"),
            })
            .ToList();
    }
}
