using System.Globalization;
using System.Threading.RateLimiting;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Telemetry;
using Microsoft.AspNetCore.RateLimiting;

namespace IndustryData.OData.Service.Security;

/// <summary>Bound from the "Throttling" section.</summary>
public sealed class ThrottlingOptions
{
    public int PermitsPerWindow { get; set; } = 20_000;

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);
}

public static class CallerRateLimiting
{
    /// <summary>A fixed window per caller: the token's subject or app id, else the client address.</summary>
    public static IHostApplicationBuilder AddCallerRateLimiting(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Throttling").Get<ThrottlingOptions>() ?? new ThrottlingOptions();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetFixedWindowLimiter(CallerKey(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PermitsPerWindow,
                    Window = options.Window,
                    QueueLimit = 0,
                }));
            limiter.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : options.Window;
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.RequestServices.GetRequiredService<ServiceMetrics>().Throttled();
                return new ValueTask(GraphErrorWriter.WriteAsync(context.HttpContext, new ApiException(StatusCodes.Status429TooManyRequests, "throttled",
                    $"Too many requests: this caller may send {options.PermitsPerWindow} requests per {options.Window.TotalSeconds:0.#} s. Retry after {seconds} s, or combine creates in $batch requests.")
                {
                    Headers = { ["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture) },
                }));
            };
        });
        return builder;
    }

    private static string CallerKey(HttpContext context)
    {
        var caller = Callers.Id(context.User);
        return caller is not null ? "caller:" + caller : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }
}
