using System.Diagnostics;

namespace IndustryData.OData.Service.Telemetry;

/// <summary>
/// The service's own trace source and the names it uses. With no listener (no exporter configured) starting an
/// activity from it returns null at the cost of one check, so the spans below cost nothing when nobody collects them.
/// </summary>
public static class ServiceTelemetry
{
    /// <summary>The ActivitySource and Meter name, and the default OTEL_SERVICE_NAME.</summary>
    public const string Name = "IndustryData.OData.Service";

    public static readonly ActivitySource Source = new(Name);

    /// <summary>Span attribute: the request-id header of the response (Graph's correlation id).</summary>
    public const string RequestIdAttribute = "industrydata.request_id";

    /// <summary>Span and metric attribute: the specific reason of an error response (its innerError.code).</summary>
    public const string ErrorCodeAttribute = "industrydata.error.code";
}
