using System.Text.Json;
using IndustryData.OData.Model.Edm;
using IndustryData.OData.Service.Runs;
using IndustryData.OData.Service.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace IndustryData.OData.Service.Changes;

/// <summary>
/// A delta page in Graph's shape: runs as they are now, deleted runs as
/// <c>{"@odata.type":…,"id":…,"@removed":{"reason":"deleted"}}</c>, then <c>@odata.nextLink</c> or <c>@odata.deltaLink</c>.
/// </summary>
public sealed class DeltaResult(DeltaPage page, string contextUrl) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        using var buffer = new PooledBufferWriter(16 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, RunJsonWriter.Options))
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context"u8, contextUrl);
            writer.WriteStartArray("value"u8);
            foreach (var change in page.Items)
            {
                if (change.Run is { } run)
                {
                    RunJsonWriter.WriteCollectionItem(writer, run, page.Selected);
                    continue;
                }

                writer.WriteStartObject();
                writer.WriteString("@odata.type"u8, $"#{IndustryDataEdm.Namespace}.{change.Tombstone!.Type}");
                writer.WriteString("id"u8, change.Tombstone.Id);
                writer.WriteStartObject("@removed"u8);
                writer.WriteString("reason"u8, "deleted"u8);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (page.NextLink is { } next)
            {
                writer.WriteString("@odata.nextLink"u8, next.AbsoluteUri);
            }

            if (page.DeltaLink is { } delta)
            {
                writer.WriteString("@odata.deltaLink"u8, delta.AbsoluteUri);
            }

            writer.WriteEndObject();
        }

        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = RunJsonResult.ContentType;
        response.Headers["OData-Version"] = "4.0";
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.HttpContext.RequestAborted);
    }

    /// <summary>The delta context URL: the set or type cast, the selected properties, then /$delta.</summary>
    public static string ContextUrl(HttpRequest request, Type elementType, IReadOnlySet<string>? selected) =>
        RunResponses.ServiceRoot(request) + "/$metadata#runs"
        + (elementType == typeof(Model.Runs.Run) ? string.Empty : "/" + RunTypeNames.Of(elementType))
        + (selected is null ? string.Empty : "(" + string.Join(",", selected) + ")")
        + "/$delta";
}
