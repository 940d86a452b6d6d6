using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Querying;
using Microsoft.Net.Http.Headers;

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

    private static bool WantsJson(HttpRequest request)
    {
        var format = request.Query["$format"].ToString();
        if (format.Length > 0)
        {
            var mediaType = format.Split(';')[0].Trim();
            return mediaType.ToLowerInvariant() switch
            {
                "json" or "application/json" => true,
                "xml" or "application/xml" => false,
                _ => throw new ApiException(StatusCodes.Status406NotAcceptable, "unsupportedFormat",
                    $"$format={format} is not available for $metadata. Use $format=application/json for CSDL JSON or $format=application/xml for CSDL XML.", "$format"),
            };
        }

        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
        {
            return false;
        }

        var xml = Quality(accepted, "application/xml");
        var json = Quality(accepted, "application/json");
        return json > xml;
    }

    /// <summary>The q-value the client gives a media type, through an exact, application/* or */* match.</summary>
    private static double Quality(IList<MediaTypeHeaderValue> accepted, string mediaType)
    {
        var target = new MediaTypeHeaderValue(mediaType);
        return accepted
            .Where(range => target.IsSubsetOf(range))
            .OrderByDescending(range => range.MatchesAllTypes ? 0 : range.MatchesAllSubTypes ? 1 : 2)
            .Select(range => range.Quality ?? 1.0)
            .DefaultIfEmpty(0)
            .First();
    }
}
