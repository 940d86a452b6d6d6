using System.Text;
using System.Text.Json;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace IndustryData.OData.Service.Runs;

/// <summary>
/// Writes a value inside a run (<see cref="RunValuePath"/>) as OData JSON answers an individual property (OData JSON
/// Format §7: a primitive or collection wrapped in "value", a complex value as itself, each with its context URL), or
/// as text/plain for /$value and /$count.
/// </summary>
public sealed class RunValueResult(RunValuePath value, DetailsQuery? details, string serviceRoot) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context)
    {
        var request = context.HttpContext.Request;
        var element = value.Value!.Value;
        return value.IsCount ? WriteTextAsync(context, Count(element).ToString(System.Globalization.CultureInfo.InvariantCulture))
            : value.IsRawValue ? WriteTextAsync(context, Raw(element))
            : WriteJsonAsync(context, element, MetadataLevel(request));
    }

    private long Count(JsonElement element) => details is not null ? details.Filtered(value.Details!).Count
        : element.ValueKind == JsonValueKind.Array ? element.GetArrayLength()
        : throw ApiException.BadRequest("notACollection", "/$count counts the items of a collection, and this value is not one. Leave /$count out to read the value.");

    private static string Raw(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        _ => throw ApiException.BadRequest("notAPrimitive", "/$value answers the raw value of a primitive, and this value is an object or an array. Leave /$value out to read it as JSON."),
    };

    private static string MetadataLevel(HttpRequest request)
    {
        var asked = request.Query["$format"].ToString() + "," + request.Query["format"] + "," + request.Headers.Accept;
        return asked.Contains("metadata=none", StringComparison.OrdinalIgnoreCase) ? "none"
            : asked.Contains("metadata=full", StringComparison.OrdinalIgnoreCase) ? "full"
            : "minimal";
    }

    private async Task WriteJsonAsync(ActionContext context, JsonElement element, string metadata)
    {
        using var buffer = new PooledBufferWriter(1024);
        using (var writer = new Utf8JsonWriter(buffer, RunJsonWriter.Options))
        {
            writer.WriteStartObject();
            if (metadata != "none")
            {
                writer.WriteString("@odata.context"u8, value.ContextUrl(serviceRoot, details?.Selected is { } selected ? string.Join(',', selected) : null));
            }

            if (details is not null)
            {
                WriteDetails(writer, element);
            }
            else if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in element.EnumerateObject())
                {
                    member.WriteTo(writer);
                }
            }
            else
            {
                writer.WritePropertyName("value"u8);
                element.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = $"application/json; odata.metadata={metadata}; odata.streaming=true; charset=utf-8";
        response.Headers["OData-Version"] = "4.0";
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.HttpContext.RequestAborted);
    }

    /// <summary>The items that pass the query, each as stored (or with the selected members only).</summary>
    private void WriteDetails(Utf8JsonWriter writer, JsonElement items)
    {
        var filtered = details!.Filtered(value.Details!);
        if (details.Count)
        {
            writer.WriteNumber("@odata.count"u8, filtered.Count);
        }

        var stored = items.EnumerateArray().ToList();
        writer.WriteStartArray("value"u8);
        foreach (var detail in details.Page(filtered))
        {
            var item = stored[value.Details!.IndexOf(detail)];
            writer.WriteStartObject();
            foreach (var member in item.EnumerateObject())
            {
                if (details.Selected is null || details.Selected.Contains(member.Name))
                {
                    member.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static Task WriteTextAsync(ActionContext context, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers["OData-Version"] = "4.0";
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes, context.HttpContext.RequestAborted).AsTask();
    }
}
