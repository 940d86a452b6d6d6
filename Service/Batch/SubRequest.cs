using System.Diagnostics;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Telemetry;
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
        if (outer.Items.ContainsKey(Async.AsyncJob.Marker) && !headers.ContainsKey(HeaderNames.Authorization))
        {
            // An asynchronous $batch runs as its caller without a token (Async.AsyncJob): so do its parts.
            context.User = outer.User;
        }

        // A child span of the $batch request for each part (its database spans nest under it).
        using var span = ServiceTelemetry.Source.StartActivity("batch part", ActivityKind.Internal);
        await pipeline(context);
        await response.CompleteAsync();
        if (span is not null)
        {
            Describe(span, context, part);
        }

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

    /// <summary>Named like a request span: method and route template (never the id), with the part's outcome.</summary>
    private static void Describe(Activity span, HttpContext context, BatchPart part)
    {
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        span.DisplayName = route is null ? $"{part.Method} batch part" : $"{part.Method} {route}";
        span.SetTag("http.request.method", part.Method);
        if (route is not null)
        {
            span.SetTag("http.route", route);
        }

        span.SetTag("http.response.status_code", context.Response.StatusCode);
        span.SetTag("industrydata.batch.part_id", part.Id);
        span.SetTag(ServiceTelemetry.RequestIdAttribute, RequestIds.RequestId(context));
        if (context.Response.StatusCode >= 500)
        {
            span.SetStatus(ActivityStatusCode.Error);
        }
    }
}
