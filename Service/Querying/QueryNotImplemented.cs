using IndustryData.OData.Service.Errors;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// Valid OData this service does not evaluate: a 501 naming what and saying what to do instead (OData Protocol §12:
/// parse the request and either follow the specification or answer 501 Not Implemented — never a 400, never a wrong row).
/// </summary>
public static class QueryNotImplemented
{
    public const string Code = "queryFeatureNotSupported";

    public static ApiException For(string construct, string alternative, string option = "$filter") =>
        new(StatusCodes.Status501NotImplemented, Code,
            $"{option} uses {construct}, which this service does not evaluate. {alternative.TrimEnd('.')}.", option);
}
