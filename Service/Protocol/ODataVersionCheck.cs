using System.Globalization;
using IndustryData.OData.Service.Errors;

namespace IndustryData.OData.Service.Protocol;

/// <summary>
/// OData 4.0 and 4.01 side by side ($metadata declares Core.ODataVersions "4.0 4.01"). A client that allows 4.01
/// (OData-MaxVersion: 4.01 or more) is answered in 4.01: OData-Version: 4.01, 4.01 behaviour such as the AsyncResult
/// header of an asynchronous request. Every other client gets 4.0 exactly as before. The payloads are the same for
/// both: 4.01 JSON allows the odata. prefix on control information (OData JSON Format §4.5.1, "optional" in 4.01), and
/// keeping it is what a client generated against 4.0 reads. ASP.NET Core OData, left alone, would write 4.01 payloads
/// without the prefix (@context, @count) for such a client, so its writers stay capped at 4.0 and only the version
/// header changes (<see cref="ResponseVersion"/>). Requests may be sent as 4.0 or 4.01. A client that caps the version
/// below 4.0, or sends a version the service cannot read with OData-Version, is told so (400). Isolation (4.01) and
/// OData-Isolation (4.0) ask for snapshot isolation across pages, which the service does not give: 412 as §8.2.6 says.
/// </summary>
public sealed class ODataVersionCheck(RequestDelegate next)
{
    private const string MaxVersion = "OData-MaxVersion";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        var maxVersion = Check(context.Request, MaxVersion, version => version >= 4.0m);
        Check(context.Request, "OData-Version", version => version is 4.0m or 4.01m);
        CheckIsolation(context.Request);
        if (maxVersion >= 4.01m)
        {
            ResponseVersion.Use401(context);
        }

        if (headers.ContainsKey(MaxVersion) || headers.ContainsKey("OData-Version") || headers.ContainsKey("OData-MinVersion"))
        {
            // ASP.NET Core OData answers in the highest version these headers allow (4.01 JSON: @context, @count, ...);
            // capping it here keeps every writer, and every response, at 4.0.
            headers[MaxVersion] = "4.0";
        }

        return next(context);
    }

    private static void CheckIsolation(HttpRequest request)
    {
        foreach (var header in new[] { "Isolation", "OData-Isolation" })
        {
            if (request.Headers.TryGetValue(header, out var value))
            {
                throw new ApiException(StatusCodes.Status412PreconditionFailed, "isolationNotSupported",
                    $"{header}: {value} asks for snapshot isolation, which this service does not provide (OData Protocol §8.2.6), so the request was not processed. "
                    + "Leave the header out; pages of a list are consistent through their $skiptoken cursor, and a $batch change set is one transaction.",
                    header);
            }
        }
    }

    /// <summary>The highest version the header allows (null when absent).</summary>
    private static decimal? Check(HttpRequest request, string header, Func<decimal, bool> supported)
    {
        var values = request.Headers[header];
        if (values.Count == 0)
        {
            return null;
        }

        var sent = values.Select(value => value?.Trim() ?? string.Empty).Where(value => value.Length > 0).ToArray();
        if (sent.Length < values.Count)
        {
            // An empty value means "not sent"; left in place, the OData formatter reads the first value and throws
            // (ArgumentNullException, a 500) on an empty one.
            request.Headers[header] = sent;
        }

        decimal? max = null;
        foreach (var value in sent)
        {
            if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var version) || !supported(version))
            {
                throw ApiException.BadRequest("unsupportedODataVersion",
                    header == MaxVersion
                        ? $"{header}: {value} is not supported. This service answers in OData 4.0 or 4.01; send {header}: 4.0 or 4.01, or omit the header."
                        : $"{header}: {value} is not supported. This service reads requests in OData 4.0 and 4.01; send {header}: 4.0 or 4.01, or omit the header.",
                    header);
            }

            max = max is { } current && current >= version ? current : version;
        }

        return max;
    }
}
