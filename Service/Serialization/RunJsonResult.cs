using System.Text.Json;
using IndustryData.OData.Model.Runs;
using Microsoft.AspNetCore.Mvc;

namespace IndustryData.OData.Service.Serialization;

/// <summary>
/// A run, or a page of runs, written by <see cref="RunJsonWriter"/> with the headers the OData formatter sends.
/// The body is composed in a buffer and handed to the server in one write with its Content-Length (writing straight
/// into the response pipe took the connection's output lock for every few hundred bytes); a page that outgrows
/// <see cref="FlushThreshold"/> is streamed in pieces of about that size, so memory stays bounded.
/// </summary>
public sealed class RunJsonResult : IActionResult
{
    public const string ContentType = "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8";
    public const int FlushThreshold = 64 * 1024;

    private readonly int status;
    private readonly string contextUrl;
    private readonly Run? run;
    private readonly IReadOnlyList<Run>? page;
    private readonly long? count;
    private readonly Uri? nextLink;

    private RunJsonResult(int status, string contextUrl, Run? run, IReadOnlyList<Run>? page, long? count, Uri? nextLink)
    {
        this.status = status;
        this.contextUrl = contextUrl;
        this.run = run;
        this.page = page;
        this.count = count;
        this.nextLink = nextLink;
    }

    public static RunJsonResult Entity(int status, string contextUrl, Run run) => new(status, contextUrl, run, null, null, null);

    public static RunJsonResult Collection(string contextUrl, IReadOnlyList<Run> page, long? count, Uri? nextLink) =>
        new(StatusCodes.Status200OK, contextUrl, null, page, count, nextLink);

    public Task ExecuteResultAsync(ActionContext context) => WriteAsync(context.HttpContext);

    /// <summary>Writes the response (status, headers, body) outside MVC too (<see cref="Runs.DirectRunReads"/>).</summary>
    public async Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        var cancellationToken = context.RequestAborted;
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.Headers["OData-Version"] = "4.0";
        using var buffer = new PooledBufferWriter(page is null ? 4096 : FlushThreshold + 8192);
        var streaming = false;
        using (var writer = new Utf8JsonWriter(buffer, RunJsonWriter.Options))
        {
            if (page is null)
            {
                RunJsonWriter.WriteEntity(writer, contextUrl, run!);
            }
            else
            {
                RunJsonWriter.WriteCollectionStart(writer, contextUrl, count);
                foreach (var item in page)
                {
                    RunJsonWriter.WriteCollectionItem(writer, item);
                    if (writer.BytesPending + buffer.WrittenCount >= FlushThreshold)
                    {
                        writer.Flush();
                        streaming = true;
                        await response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken);
                        buffer.Clear();
                    }
                }

                RunJsonWriter.WriteCollectionEnd(writer, nextLink);
            }
        }

        if (!streaming)
        {
            response.ContentLength = buffer.WrittenCount;
        }

        await response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken);
    }
}
