using System.Globalization;
using IndustryData.OData.Service.Errors;

namespace IndustryData.OData.Service.Protocol;

/// <summary>
/// The service speaks OData 4.0, and 4.01 to clients that allow it (resources then carry @context, @count, ... as
/// 4.01 JSON does; $metadata, errors and $batch stay 4.0). A client that caps the version below 4.0 with
/// OData-MaxVersion, or asks for a version it cannot get with OData-Version, is told so (400) instead of being
/// sent a payload it cannot read.
/// </summary>
public sealed class ODataVersionCheck(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        Check(context.Request, "OData-MaxVersion", version => version >= 4.0m);
        Check(context.Request, "OData-Version", version => version is 4.0m or 4.01m);
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
                    $"{header}: {value} is not supported. This service speaks OData 4.0 and 4.01; send {header}: 4.0 or 4.01, or omit the header.",
                    header);
            }
        }
    }
}
