using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace IndustryData.OData.Service.Batch;

/// <summary>Runs one batch part through the application's pipeline, in process, and captures its response.</summary>
internal static class SubRequest
{
    public const string Marker = "IndustryData.BatchSubRequest";

    /// <summary>Headers of the batch request that every part inherits unless it sets them itself (Graph's rule for the token).</summary>
    private static readonly string[] Inherited = [HeaderNames.Authorization, "client-request-id", HeaderNames.AcceptLanguage, "OData-MaxVersion"];

    public static async Task<BatchPartResponse> SendAsync(HttpContext outer, BatchPart part, PathString path, QueryString query,
        IServiceProvider services, RequestDelegate pipeline)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        foreach (var name in Inherited)
        {
            if (outer.Request.Headers.TryGetValue(name, out var value))
            {
                headers[name] = value;
            }
        }

        foreach (var (name, value) in part.Headers)
        {
            headers[name] = value;
        }

        headers.Host = outer.Request.Host.Value;
        if (!part.Body.IsEmpty)
        {
            headers.ContentLength = part.Body.Length;
        }

        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = "HTTP/1.1",
            Method = part.Method,
            Scheme = outer.Request.Scheme,
            PathBase = outer.Request.PathBase,
            Path = path,
            QueryString = query.Value ?? string.Empty,
            RawTarget = outer.Request.PathBase + path + query,
            Headers = headers,
            Body = new MemoryStream(part.Body.ToArray(), writable: false),
        });
        var response = new SubResponseFeature();
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(response);
        features.Set(outer.Features.Get<IHttpConnectionFeature>());
        features.Set<IServiceProvidersFeature>(new ServiceProvidersFeature { RequestServices = services });
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = outer.RequestAborted });
        var context = new DefaultHttpContext(features);
        context.Items[Marker] = true;

        await pipeline(context);
        await response.CompleteAsync();

        var result = new BatchPartResponse { Part = part, Status = response.StatusCode, Body = response.Content };
        foreach (var (name, value) in response.Headers)
        {
            if (!name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase) && !name.Equals(HeaderNames.TransferEncoding, StringComparison.OrdinalIgnoreCase))
            {
                result.Headers[name] = value.ToString();
            }
        }

        return result;
    }
}
