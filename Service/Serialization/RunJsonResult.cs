using System.Text.Json;
using IndustryData.OData.Model.Runs;
using Microsoft.AspNetCore.Mvc;

namespace IndustryData.OData.Service.Serialization;

/// <summary>A run, or a page of runs, written by <see cref="RunJsonWriter"/> with the headers the OData formatter sends.</summary>
public sealed class RunJsonResult : IActionResult
{
    public const string ContentType = "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8";

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

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.Headers["OData-Version"] = "4.0";
        using (var writer = new Utf8JsonWriter(response.BodyWriter, RunJsonWriter.Options))
        {
            if (page is null)
            {
                RunJsonWriter.WriteEntity(writer, contextUrl, run!);
            }
            else
            {
                RunJsonWriter.WriteCollection(writer, contextUrl, page, count, nextLink);
            }
        }

        await response.BodyWriter.FlushAsync(context.HttpContext.RequestAborted);
    }
}
