using System.Globalization;
using IndustryData.OData.Service.Errors;

namespace IndustryData.OData.Service.Protocol;

/// <summary>
/// The service answers OData 4.0 to every client, as its $metadata says (Version="4.0"), so what a client reads always
/// matches the metadata it was generated from; 4.0 is valid for a client that allows 4.01. Requests may be sent as 4.0
/// or 4.01. A client that caps the version below 4.0 with OData-MaxVersion, or sends a version the service cannot read
/// with OData-Version, is told so (400) instead of being sent a payload it cannot read.
/// </summary>
public sealed class ODataVersionCheck(RequestDelegate next)
{
    private const string MaxVersion = "OData-MaxVersion";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        Check(context.Request, MaxVersion, version => version >= 4.0m);
        Check(context.Request, "OData-Version", version => version is 4.0m or 4.01m);
        if (headers.ContainsKey(MaxVersion) || headers.ContainsKey("OData-Version") || headers.ContainsKey("OData-MinVersion"))
        {
            // ASP.NET Core OData answers in the highest version these headers allow (4.01 JSON: @context, @count, ...);
            // capping it here keeps every writer, and every response, at 4.0.
            headers[MaxVersion] = "4.0";
        }

        return next(context);
    }

    private static void Check(HttpRequest request, string header, Func<decimal, bool> supported)
    {
        var values = request.Headers[header];
        if (values.Count == 0)
        {
            return;
        }

        var sent = values.Select(value => value?.Trim() ?? string.Empty).Where(value => value.Length > 0).ToArray();
        if (sent.Length < values.Count)
        {
            // An empty value means "not sent"; left in place, the OData formatter reads the first value and throws
            // (ArgumentNullException, a 500) on an empty one.
            request.Headers[header] = sent;
        }

        foreach (var value in sent)
        {
            if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var version) || !supported(version))
            {
                throw ApiException.BadRequest("unsupportedODataVersion",
                    header == MaxVersion
                        ? $"{header}: {value} is not supported. This service answers in OData 4.0; send {header}: 4.0 (or 4.01), or omit the header."
                        : $"{header}: {value} is not supported. This service reads requests in OData 4.0 and 4.01 (and answers in 4.0); send {header}: 4.0 or 4.01, or omit the header.",
                    header);
            }
        }
    }
}
