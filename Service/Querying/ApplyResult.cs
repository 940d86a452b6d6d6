using System.Globalization;
using System.Text.Json;
using IndustryData.OData.Model.Edm;
using IndustryData.OData.Service.Protocol;
using Microsoft.AspNetCore.Mvc;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// The result of $apply in OData JSON (Data Aggregation §3, JSON Format §4.5): one object per instance, grouping
/// properties under their names (complex paths nested: {"blockingError":{"code":…}}), aggregated values under their
/// aliases with their type (<c>"n@odata.type":"#Decimal"</c>) where JSON does not tell it, and <c>"@odata.id":null</c>:
/// aggregated instances are transient entities, which have no id (Protocol §4.3, JSON Format §4.5.8).
/// </summary>
public sealed class ApplyResult(string contextUrl, IReadOnlyList<ApplyColumn> columns, IReadOnlyList<object?[]> rows, long? count, Uri? nextLink, ApplyResult.Format format) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = $"application/json; odata.metadata={format.Metadata}; odata.streaming=true;{(format.Ieee754Compatible ? " IEEE754Compatible=true;" : string.Empty)} charset=utf-8";
        response.Headers["OData-Version"] = "4.0";
        using var buffer = new System.IO.MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (format.Metadata != "none")
            {
                json.WriteString("@odata.context", contextUrl);
            }

            if (count is { } total)
            {
                json.WritePropertyName("@odata.count");
                WriteInteger(json, total);
            }

            json.WriteStartArray("value");
            foreach (var row in rows)
            {
                json.WriteStartObject();
                if (format.Metadata != "none")
                {
                    json.WriteNull("@odata.id");
                }

                WriteMembers(json, row, columns.Select((column, index) => (column, index)).ToList(), 0);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (nextLink is not null)
            {
                json.WriteString("@odata.nextLink", nextLink.AbsoluteUri);
            }

            json.WriteEndObject();
        }

        response.ContentLength = buffer.Length;
        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.HttpContext.RequestAborted);
    }

    private void WriteMembers(Utf8JsonWriter json, object?[] row, List<(ApplyColumn Column, int Index)> members, int depth)
    {
        foreach (var group in members.Where(member => !member.Column.Hidden).GroupBy(member => member.Column.Path[depth]))
        {
            var leaf = group.FirstOrDefault(member => member.Column.Path.Count == depth + 1);
            if (leaf.Column is not null)
            {
                WriteValue(json, group.Key, leaf.Column, row[leaf.Index]);
                continue;
            }

            json.WritePropertyName(group.Key);
            var marker = depth == 0 ? members.FirstOrDefault(member => member.Column.Hidden && member.Column.Name == ApplyColumn.NullMarker(group.Key)) : default;
            if (marker.Column is not null && row[marker.Index] is true)
            {
                json.WriteNullValue();
                continue;
            }

            json.WriteStartObject();
            WriteMembers(json, row, [.. group], depth + 1);
            json.WriteEndObject();
        }
    }

    private void WriteValue(Utf8JsonWriter json, string name, ApplyColumn column, object? value)
    {
        var kind = column.Value.Kind;
        if (!column.Declared && value is not null && format.Metadata != "none" && TypeName(kind) is { } type)
        {
            json.WriteString(name + "@odata.type", "#" + type);
        }

        json.WritePropertyName(name);
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string text when kind == ApplyKind.Json:
                json.WriteRawValue(text, skipInputValidation: false);
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case long integer:
                WriteInteger(json, integer);
                break;
            case decimal exact when format.Ieee754Compatible:
                json.WriteStringValue(exact.ToString(CultureInfo.InvariantCulture));
                break;
            case decimal exact:
                json.WriteNumberValue(exact);
                break;
            case double real when double.IsFinite(real):
                json.WriteNumberValue(real);
                break;
            case double real:
                json.WriteStringValue(double.IsNaN(real) ? "NaN" : real > 0 ? "INF" : "-INF");
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case DateTimeOffset dateTime:
                json.WriteStringValue(dateTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
                break;
            case DateOnly date:
                json.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private void WriteInteger(Utf8JsonWriter json, long value)
    {
        if (format.Ieee754Compatible)
        {
            json.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            json.WriteNumberValue(value);
        }
    }

    /// <summary>The type annotation of a dynamic property; none where JSON tells the type (string, boolean, Double, an open member's own JSON).</summary>
    private static string? TypeName(ApplyKind kind) => kind switch
    {
        ApplyKind.Int32 => "Int32",
        ApplyKind.Int64 => "Int64",
        ApplyKind.Decimal => "Decimal",
        ApplyKind.DateTimeOffset => "DateTimeOffset",
        ApplyKind.Date => "Date",
        ApplyKind.Status => IndustryDataEdm.RunStatusTypeName,
        _ => null,
    };

    /// <summary>The JSON variant the request asks for: odata.metadata (minimal, full or none) and IEEE754Compatible.</summary>
    public sealed record Format(string Metadata, bool Ieee754Compatible)
    {
        public static Format Of(HttpRequest request)
        {
            ResponseFormat.Negotiate(request, "runs", ResponseFormat.ODataJson);
            var stated = string.Join(';', request.Query.Where(pair => pair.Key.TrimStart('$').Equals("format", StringComparison.OrdinalIgnoreCase)).Select(pair => pair.Value.ToString()))
                + ";" + request.Headers.Accept.ToString();
            var parameters = stated.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
            var metadata = parameters.Contains("metadata=none", StringComparison.Ordinal) ? "none"
                : parameters.Contains("metadata=full", StringComparison.Ordinal) ? "full"
                : "minimal";
            return new Format(metadata, parameters.Contains("ieee754compatible=true", StringComparison.Ordinal));
        }
    }
}
