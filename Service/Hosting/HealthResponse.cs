using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IndustryData.OData.Service.Hosting;

/// <summary>
/// /health as plain text: "Healthy" (followed by the notification backlog while subscriptions exist), or the status followed by what is wrong ("Degraded: The runs database is out of
/// storage since …"), so an operator sees the reason without reading the log. Degraded (out of storage, reads still
/// work) is a 200, keeping the instance in rotation; Unhealthy a 503.
/// </summary>
public static class HealthResponse
{
    public static HealthCheckOptions Options { get; } = new() { ResponseWriter = WriteAsync };

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var reasons = report.Entries.Values
            .Where(entry => !string.IsNullOrEmpty(entry.Description))
            .Select(entry => entry.Description);
        var text = string.Join(" ", reasons.Prepend(report.Status + (reasons.Any() ? ":" : string.Empty)));
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
