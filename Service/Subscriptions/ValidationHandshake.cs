using System.Net.Http.Headers;
using System.Security.Cryptography;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Subscriptions.Outbound;
using Microsoft.Extensions.Options;

namespace IndustryData.OData.Service.Subscriptions;

/// <summary>
/// Graph's endpoint validation: before a subscription exists, each of its URLs gets a POST with a fresh, unguessable
/// ?validationToken=…, and must answer 200 with exactly that token as text/plain within the timeout.
/// </summary>
public sealed class ValidationHandshake(OutboundHttp outbound, IOptions<SubscriptionOptions> options)
{
    public async Task ValidateAsync(string url, string property, CancellationToken cancellationToken)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var target = WithQuery(new Uri(url), "validationToken", token);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ValidationTimeout);
        OutboundResponse response;
        try
        {
            using var content = new ByteArrayContent([]);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            response = await outbound.PostAsync(target, content, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            response = new OutboundResponse(null, null, string.Empty, OutboundFailure.Timeout, "no answer in time");
        }

        var problem = response switch
        {
            { Failure: OutboundFailure.Timeout } => $"it did not answer within {options.Value.ValidationTimeout.TotalSeconds:0} seconds",
            { Failure: not OutboundFailure.None } => $"it could not be reached ({response.FailureReason})",
            { StatusCode: not 200 } => $"it answered {response.StatusCode} instead of 200",
            _ when !IsTextPlain(response.ContentType) => $"it answered with Content-Type '{response.ContentType}' instead of text/plain",
            _ when response.Body.Trim() != token => "its answer was not the validationToken it was sent",
            _ => null,
        };
        if (problem is not null)
        {
            throw ApiException.BadRequest("subscriptionValidationFailed",
                $"Validation of {property} failed: {problem}. The endpoint must answer the POST …?validationToken=<token> with 200, Content-Type text/plain and the token (URL-decoded) as the body, within {options.Value.ValidationTimeout.TotalSeconds:0} seconds.",
                property);
        }
    }

    /// <summary>The URL with one more query parameter; the receiver's own query string is kept.</summary>
    public static Uri WithQuery(Uri url, string name, string value)
    {
        var builder = new UriBuilder(url);
        var pair = $"{name}={Uri.EscapeDataString(value)}";
        builder.Query = string.IsNullOrEmpty(builder.Query) || builder.Query == "?" ? pair : builder.Query.TrimStart('?') + "&" + pair;
        return builder.Uri;
    }

    private static bool IsTextPlain(string? contentType) =>
        contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var parsed) && string.Equals(parsed.MediaType, "text/plain", StringComparison.OrdinalIgnoreCase);
}
