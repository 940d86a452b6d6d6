using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Security;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IndustryData.OData.Service.Telemetry;

/// <summary>
/// OpenTelemetry: what the service traces and measures, and where it goes. The SDK (and with it every listener) is
/// started only when an exporter is configured — OTLP by the standard OTEL_EXPORTER_OTLP_* variables, or the
/// Prometheus scrape endpoint (Telemetry:Prometheus) — so a service that exports nothing pays for nothing but a
/// few no-listener checks.
/// </summary>
public static class TelemetryExtensions
{
    public const string DefaultServiceName = "industrydata-odata";

    public const string PrometheusSetting = "Telemetry:Prometheus";

    public const string PrometheusPathSetting = "Telemetry:PrometheusPath";

    private const string DefaultPrometheusPath = "/metrics";

    private const string SemanticConventionsOptIn = "OTEL_SEMCONV_STABILITY_OPT_IN";

    private static readonly string[] OtlpEndpointVariables =
    [
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
    ];

    public static IHostApplicationBuilder AddServiceTelemetry(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(SemanticConventionsOptIn)))
        {
            // Database spans in the stable conventions (db.system.name, db.query.text, named by the operation such as
            // "SELECT") rather than the old experimental ones (every span named "main", after the SQLite database).
            // The EF Core instrumentation reads this from the environment only, not from configuration.
            Environment.SetEnvironmentVariable(SemanticConventionsOptIn, "database");
        }

        builder.Services.AddSingleton<ServiceMetrics>();
        builder.Services.AddScoped<RunChangeMetrics>();

        // What to collect, registered always but applied only if an OpenTelemetry SDK is started (below, or by a test).
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .AddSource(ServiceTelemetry.Name)
            .AddAspNetCoreInstrumentation(options =>
            {
                // Probes and scrapes come every few seconds and say nothing about the runs: no traces for them.
                var prometheusPath = configuration[PrometheusPathSetting] ?? DefaultPrometheusPath;
                options.Filter = context => !context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments(prometheusPath);
                options.EnrichWithHttpResponse = static (span, response) =>
                    span.SetTag(ServiceTelemetry.RequestIdAttribute, RequestIds.RequestId(response.HttpContext));
            })
            // One span per SQLite command from EF Core's diagnostics (SQL Server's come from SqlClient below, once).
            // Both record the command text with literals masked and never the parameter values.
            .AddEntityFrameworkCoreInstrumentation(options => options.Filter = static (provider, _) => provider == "Microsoft.EntityFrameworkCore.Sqlite")
            .AddSqlClientInstrumentation());
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics
            .AddMeter(ServiceTelemetry.Name)
            .AddAspNetCoreInstrumentation()
            .AddSqlClientInstrumentation());

        var otlp = OtlpEndpointVariables.Any(name => !string.IsNullOrWhiteSpace(configuration[name]));
        var prometheus = configuration.GetValue(PrometheusSetting, defaultValue: false);
        if (configuration.GetValue("OTEL_SDK_DISABLED", defaultValue: false) || !(otlp || prometheus))
        {
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"])
                    && configuration["OTEL_RESOURCE_ATTRIBUTES"]?.Contains("service.name=", StringComparison.Ordinal) != true)
                {
                    resource.AddService(DefaultServiceName);
                }
            })
            .WithTracing()
            .WithMetrics(metrics =>
            {
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithLogging(configureBuilder: null, configureOptions: options => options.IncludeScopes = true).UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>First in the pipeline: the request-id logging scope; and the Prometheus endpoint when it is on.</summary>
    public static WebApplication UseServiceTelemetry(this WebApplication app)
    {
        app.UseMiddleware<RequestLogScope>();
        if (app.Configuration.GetValue(PrometheusSetting, defaultValue: false) && !app.Configuration.GetValue("OTEL_SDK_DISABLED", defaultValue: false))
        {
            // Metrics say how busy the service is and who gets refused: readers of runs may see them, nobody else.
            app.MapPrometheusScrapingEndpoint(app.Configuration[PrometheusPathSetting] ?? DefaultPrometheusPath).RequireAuthorization(Permissions.ReadPolicy);
        }

        return app;
    }
}
