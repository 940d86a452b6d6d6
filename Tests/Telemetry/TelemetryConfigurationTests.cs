using System.Net;
using IndustryData.OData.Service.Telemetry;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace IndustryData.OData.Tests.Telemetry;

/// <summary>Export is configured by the standard OTEL_* settings; without them the SDK is not even started.</summary>
public class TelemetryConfigurationTests
{
    private static async Task<ServiceHost> StartAsync(Dictionary<string, string?> settings)
    {
        var host = new ServiceHost(await TestDatabase.CreateAsync(TestProvider.Sqlite), settings);
        using var client = host.CreateGuardedClient();
        using var health = await client.GetAsync("health");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return host;
    }

    private static async Task StopAsync(ServiceHost host)
    {
        await host.DisposeAsync();
        await host.Database.DisposeAsync();
    }

    [Test]
    public async Task Without_an_exporter_no_OpenTelemetry_SDK_runs()
    {
        var host = await StartAsync([]);
        try
        {
            Assert.Multiple(() =>
            {
                Assert.That(host.Services.GetService<TracerProvider>(), Is.Null);
                Assert.That(host.Services.GetService<MeterProvider>(), Is.Null);
            });
        }
        finally
        {
            await StopAsync(host);
        }
    }

    [Test]
    public async Task An_OTLP_endpoint_starts_tracing_and_metrics_named_after_the_service_unless_OTEL_SERVICE_NAME_says_otherwise()
    {
        // Nothing listens on port 9: export attempts fail quietly in the background, as with a collector that is down.
        var host = await StartAsync(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9" });
        var named = await StartAsync(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9", ["OTEL_SERVICE_NAME"] = "runs-eu-1" });
        try
        {
            Assert.Multiple(() =>
            {
                Assert.That(host.Services.GetService<TracerProvider>(), Is.Not.Null);
                Assert.That(host.Services.GetService<MeterProvider>(), Is.Not.Null);
                Assert.That(ServiceName(host.Services.GetRequiredService<TracerProvider>()), Is.EqualTo(TelemetryExtensions.DefaultServiceName));
                Assert.That(ServiceName(named.Services.GetRequiredService<TracerProvider>()), Is.EqualTo("runs-eu-1"));
            });
        }
        finally
        {
            await StopAsync(host);
            await StopAsync(named);
        }
    }

    [Test]
    public async Task The_Prometheus_endpoint_serves_the_service_metrics_to_readers_only()
    {
        var host = await StartAsync(new() { [TelemetryExtensions.PrometheusSetting] = "true" });
        try
        {
            using var reader = host.CreateAuthorizedClient(TestTokens.Read());
            using var notFound = await reader.GetAsync("runs('no-such-run')");
            // A request's duration is recorded after its client has the response: scrape until it is there (10 s at most).
            var waited = System.Diagnostics.Stopwatch.StartNew();
            HttpResponseMessage scrape;
            string text;
            while (true)
            {
                scrape = await reader.GetAsync("metrics");
                text = await scrape.Content.ReadAsStringAsync();
                if (text.Contains("http_server_request_duration_seconds", StringComparison.Ordinal) || waited.Elapsed > TimeSpan.FromSeconds(10))
                {
                    break;
                }

                scrape.Dispose();
                await Task.Delay(50);
            }

            using var scraped = scrape;
            using var anonymous = await host.CreateGuardedClient().GetAsync("metrics");
            TestContext.Out.WriteLine(string.Join("\n", text.Split('\n').Where(line => line.StartsWith("industrydata_requests_rejected", StringComparison.Ordinal))));

            Assert.Multiple(() =>
            {
                Assert.That(scrape.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
                Assert.That(text, Does.Contain("industrydata_requests_rejected").And.Contain("resourceNotFound"));
                Assert.That(text, Does.Contain("http_server_request_duration_seconds"));
                Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            });
        }
        finally
        {
            await StopAsync(host);
        }
    }

    private static string? ServiceName(TracerProvider provider) =>
        provider.GetResource().Attributes.FirstOrDefault(attribute => attribute.Key == "service.name").Value as string;
}
