using Microsoft.AspNetCore.Cors.Infrastructure;

namespace IndustryData.OData.Service.Hosting;

/// <summary>
/// CORS for browser clients (contract §10): origins from <c>Cors:AllowedOrigins</c> (none by default), the methods and
/// request headers this API uses, and the response headers a client needs to read. Preflight requests are answered
/// (204) for every path before version checks, authentication and throttling, which a preflight never passes: a
/// browser sends it without the token or OData headers. An origin that is not allowed gets no CORS headers.
/// </summary>
public static class BrowserAccess
{
    public const string AllowedOriginsKey = "Cors:AllowedOrigins";

    public static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>Request headers a browser may send beyond the CORS-safelisted ones (Accept, Content-Language, …).</summary>
    public static readonly string[] RequestHeaders =
    [
        "Authorization", "Content-Type", "If-Match", "If-None-Match", "Prefer", "OData-Version", "OData-MaxVersion",
        "client-request-id", "Idempotency-Key",
    ];

    /// <summary>Response headers a script may read beyond the safelisted ones (Content-Type, Content-Length, …).</summary>
    public static readonly string[] ExposedHeaders =
    [
        "ETag", "Location", "OData-EntityId", "OData-Version", "Preference-Applied", "request-id", "client-request-id", "Retry-After",
        "Idempotent-Replayed",
    ];

    /// <summary>How long a browser may reuse a preflight answer.</summary>
    public static readonly TimeSpan PreflightMaxAge = TimeSpan.FromMinutes(10);

    public static IHostApplicationBuilder AddBrowserAccess(this IHostApplicationBuilder builder)
    {
        var origins = AllowedOrigins(builder.Configuration);
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy =>
        {
            if (origins.Contains("*"))
            {
                policy.AllowAnyOrigin();
            }
            else
            {
                // Entries such as https://*.contoso.com allow that domain's subdomains.
                policy.WithOrigins(origins).SetIsOriginAllowedToAllowWildcardSubdomains();
            }

            policy.WithMethods(Methods).WithHeaders(RequestHeaders).WithExposedHeaders(ExposedHeaders).SetPreflightMaxAge(PreflightMaxAge);
        }));
        return builder;
    }

    /// <summary>A list (<c>Cors:AllowedOrigins:0</c>, …) or one value separated by commas or semicolons (handy in one environment variable).</summary>
    public static string[] AllowedOrigins(IConfiguration configuration)
    {
        var section = configuration.GetSection(AllowedOriginsKey);
        return section.GetChildren().Select(child => child.Value).Prepend(section.Value)
            .SelectMany(value => (value ?? string.Empty).Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(origin => origin.TrimEnd('/'))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();
    }
}
