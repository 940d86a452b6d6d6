using IndustryData.OData.Service.Protocol;
using IndustryData.OData.Service.Querying;

namespace IndustryData.OData.Service.Metadata;

/// <summary>
/// Serves GET/HEAD {service root}/$metadata: CSDL XML by default, CSDL JSON when $format or Accept asks for JSON
/// (ASP.NET Core OData's own endpoint ignores Accept: application/json), 304 for a matching If-None-Match.
/// </summary>
public sealed class MetadataMiddleware(RequestDelegate next, MetadataDocument document, string metadataPath)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.Equals(metadataPath, StringComparison.Ordinal) || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            return next(context);
        }

        RunQueryOptions.RejectRepeated(request.Query);
        var json = WantsJson(request);
        var (body, etag, contentType) = json
            ? (document.Json, document.JsonETag, "application/json; charset=utf-8")
            : (document.Xml, document.XmlETag, "application/xml; charset=utf-8");
        var response = context.Response;
        response.Headers["OData-Version"] = "4.0";
        response.Headers.ETag = etag;
        response.Headers.Vary = "Accept";
        response.Headers.CacheControl = "no-cache";
        if (request.Headers.IfNoneMatch.ToString().Split(',').Any(tag => tag.Trim() == etag || tag.Trim() == "*"))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentType = contentType;
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    /// <summary>CSDL XML unless $format or Accept prefers JSON; 406 when they allow neither (<see cref="ResponseFormat"/>).</summary>
    private static bool WantsJson(HttpRequest request) =>
        ResponseFormat.Negotiate(request, "$metadata", ResponseFormat.Xml, ResponseFormat.ODataJson) == ResponseFormat.ODataJson;
}
