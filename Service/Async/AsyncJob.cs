using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using IndustryData.OData.Service.Batch;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace IndustryData.OData.Service.Async;

/// <summary>
/// Runs a stored asynchronous request through the application's pipeline (every rule a direct request passes:
/// errors, limits, throttling, authorization, validation), as its caller, and captures the response. The caller is
/// the principal stored with the request (its claims, never its token), so a request runs after the token expired.
/// </summary>
internal static class AsyncJob
{
    public const string Marker = "IndustryData.AsyncJob";

    /// <summary>Headers never stored: the credential, and what the pipeline sets itself.</summary>
    private static readonly string[] NotStored = [HeaderNames.Authorization, HeaderNames.Cookie, HeaderNames.Host, HeaderNames.ContentLength, HeaderNames.Connection, HeaderNames.TransferEncoding];

    public sealed record Response(int Status, string Headers, byte[] Body);

    public static string StoreHeaders(IHeaderDictionary headers)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, values) in headers)
            {
                if (NotStored.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }

                var value = name.Equals("Prefer", StringComparison.OrdinalIgnoreCase) ? WithoutRespondAsync(values) : values.ToString();
                if (value.Length > 0)
                {
                    writer.WriteString(name, value);
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string StorePrincipal(ClaimsPrincipal user)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var claim in user.Claims)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(claim.Type);
                writer.WriteStringValue(claim.Value);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static async Task<Response> RunAsync(AsyncOperation operation, IServiceScopeFactory scopes, RequestDelegate pipeline, CancellationToken cancellationToken)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        using (var stored = JsonDocument.Parse(operation.RequestHeaders))
        {
            foreach (var header in stored.RootElement.EnumerateObject())
            {
                headers[header.Name] = header.Value.GetString();
            }
        }

        var baseUri = new Uri(operation.BaseUri);
        headers.Host = baseUri.Authority;
        if (operation.RequestBody.Length > 0)
        {
            headers.ContentLength = operation.RequestBody.Length;
        }

        var query = operation.Target.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? operation.Target : operation.Target[..query];
        var queryString = query < 0 ? string.Empty : operation.Target[query..];
        var pathBase = baseUri.AbsolutePath.TrimEnd('/');
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = "HTTP/1.1",
            Method = operation.Method,
            Scheme = baseUri.Scheme,
            PathBase = pathBase,
            Path = Uri.UnescapeDataString(path),
            QueryString = queryString,
            RawTarget = pathBase + operation.Target,
            Headers = headers,
            Body = new MemoryStream(operation.RequestBody, writable: false),
        });
        var response = new SubResponseFeature();
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(response);
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature { RemoteIpAddress = IPAddress.Loopback, ConnectionId = "async-" + operation.Id });
        await using var scope = scopes.CreateAsyncScope();
        features.Set<IServiceProvidersFeature>(new ServiceProvidersFeature { RequestServices = scope.ServiceProvider });
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = cancellationToken });
        var context = new DefaultHttpContext(features) { User = Principal(operation.Principal) };
        context.Items[Marker] = true;
        await pipeline(context);
        await response.CompleteAsync();
        var responseHeaders = new HeaderDictionary();
        foreach (var (name, value) in response.Headers)
        {
            if (!name.Equals(HeaderNames.TransferEncoding, StringComparison.OrdinalIgnoreCase))
            {
                responseHeaders[name] = value;
            }
        }

        var body = response.Content;
        responseHeaders.ContentLength = body.Length;
        return new Response(response.StatusCode, StoreHeaders(responseHeaders), body);
    }

    /// <summary>The final response as an HTTP message (application/http, OData Protocol §11.6).</summary>
    public static byte[] HttpMessage(int status, string? headers, byte[]? body)
    {
        var text = new StringBuilder().Append("HTTP/1.1 ").Append(status).Append(' ').Append(ReasonPhrases.GetReasonPhrase(status)).Append("\r\n");
        if (headers is not null)
        {
            using var stored = JsonDocument.Parse(headers);
            foreach (var header in stored.RootElement.EnumerateObject())
            {
                text.Append(header.Name).Append(": ").Append(header.Value.GetString()).Append("\r\n");
            }
        }

        text.Append("\r\n");
        return [.. Encoding.UTF8.GetBytes(text.ToString()), .. body ?? []];
    }

    private static ClaimsPrincipal Principal(string stored)
    {
        using var document = JsonDocument.Parse(stored);
        var claims = document.RootElement.EnumerateArray().Select(claim => new Claim(claim[0].GetString()!, claim[1].GetString()!)).ToList();
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "AsyncRequest", "name", "roles"));
    }

    private static string WithoutRespondAsync(StringValues prefer) => string.Join(", ",
        prefer.SelectMany(value => (value ?? string.Empty).Split(','))
            .Select(preference => preference.Trim())
            .Where(preference => preference.Length > 0 && !preference.Split(';')[0].Trim().Equals("respond-async", StringComparison.OrdinalIgnoreCase)));
}
