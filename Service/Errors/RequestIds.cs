namespace IndustryData.OData.Service.Errors;

/// <summary>
/// Graph's correlation headers: every response carries <c>request-id</c>; a caller's <c>client-request-id</c> is echoed.
/// </summary>
public static class RequestIds
{
    private const string ClientRequestIdHeader = "client-request-id";
    private const string RequestIdHeader = "request-id";
    private const int MaxClientRequestIdLength = 128;

    public static string RequestId(HttpContext context)
    {
        if (context.Items.TryGetValue(RequestIdHeader, out var existing) && existing is string id)
        {
            return id;
        }

        id = NewId();
        context.Items[RequestIdHeader] = id;
        return id;
    }

    /// <summary>
    /// A random version-4 GUID. Request ids correlate, they protect nothing, so they come from the shared pseudo-random
    /// generator rather than Guid.NewGuid, whose cryptographic randomness costs a system call per request.
    /// </summary>
    public static string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }

    /// <summary>The caller's id, if it is one we can echo safely (printable ASCII, bounded length).</summary>
    public static string? ClientRequestId(HttpContext context)
    {
        var value = context.Request.Headers[ClientRequestIdHeader].ToString();
        if (value.Length is 0 or > MaxClientRequestIdLength || value.Any(c => c is < ' ' or > '~'))
        {
            return null;
        }

        return value;
    }

    public static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers[RequestIdHeader] = RequestId(context);
        var clientRequestId = ClientRequestId(context);
        if (clientRequestId is not null)
        {
            headers[ClientRequestIdHeader] = clientRequestId;
        }
    }
}
