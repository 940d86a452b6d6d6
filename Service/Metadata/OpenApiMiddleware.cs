using Microsoft.AspNetCore.Http.Extensions;

namespace IndustryData.OData.Service.Metadata;

/// <summary>
/// Serves GET/HEAD {service root}/$openapi and /$openapi.json: the OpenAPI description with the request's service root
/// as its server, anonymous like $metadata, with a strong ETag (If-None-Match → 304).
/// </summary>
public sealed class OpenApiMiddleware(RequestDelegate next, OpenApiDocument document, PathString serviceRoot)
{
    private readonly PathString path = serviceRoot.Add("/$openapi");
    private readonly PathString pathWithExtension = serviceRoot.Add("/$openapi.json");

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!(request.Path.Equals(path, StringComparison.Ordinal) || request.Path.Equals(pathWithExtension, StringComparison.Ordinal))
            || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            return next(context);
        }

        var root = UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, serviceRoot).TrimEnd('/');
        var (body, etag) = document.For(root);
        var response = context.Response;
        response.Headers.ETag = etag;
        response.Headers.CacheControl = "no-cache";
        if (Matches(request.Headers.IfNoneMatch.ToString(), etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    /// <summary>If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/"x" matches "x".</summary>
    private static bool Matches(string ifNoneMatch, string etag) =>
        ifNoneMatch.Split(',').Select(tag => tag.Trim()).Any(tag => tag == "*" || (tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag) == etag);
}
