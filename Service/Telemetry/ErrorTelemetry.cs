using System.Diagnostics;
using IndustryData.OData.Service.Errors;

namespace IndustryData.OData.Service.Telemetry;

/// <summary>An error response, as telemetry: its innerError.code on the request's span and in the rejection count.</summary>
public static class ErrorTelemetry
{
    public static void Record(HttpContext context, ApiException error)
    {
        if (Activity.Current is { IsAllDataRequested: true } span)
        {
            span.SetTag(ServiceTelemetry.ErrorCodeAttribute, error.InnerCode);
        }

        context.RequestServices?.GetService<ServiceMetrics>()?.Rejected(error.Status, error.InnerCode);
    }
}
