using System.Collections;
using System.Diagnostics;
using IndustryData.OData.Service.Telemetry;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace IndustryData.OData.Tests.Telemetry;

/// <summary>
/// An OpenTelemetry SDK with in-memory exporters added to a test host, as an operator's exporter would be: spans as
/// they end, metrics when flushed.
/// </summary>
public sealed class CollectedTelemetry
{
    private readonly LockedList<Activity> spans = new();
    private readonly LockedList<MetricSnapshot> metrics = new();

    public void AddTo(IServiceCollection services) => services.AddOpenTelemetry()
        .WithTracing(tracing => tracing.AddInMemoryExporter(spans))
        .WithMetrics(meters => meters.AddInMemoryExporter(metrics));

    public IReadOnlyList<Activity> Spans => spans.Snapshot();

    /// <summary>Waits (a server span ends only after its response has gone out) for a span that matches.</summary>
    /// <summary>The server span of the request that got <paramref name="response"/> (matched by its request-id).</summary>
    public Task<Activity> RequestSpanAsync(HttpResponseMessage response)
    {
        var requestId = response.Header("request-id");
        return SpanAsync(
            span => span.Kind == ActivityKind.Server && (string?)span.GetTagItem(ServiceTelemetry.RequestIdAttribute) == requestId,
            $"for the request with request-id {requestId}");
    }

    public async Task<Activity> SpanAsync(Func<Activity, bool> match, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (spans.Snapshot().FirstOrDefault(match) is { } span)
            {
                return span;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"No span {what}. Spans: {string.Join("; ", spans.Snapshot().Select(Describe))}");
        throw new InvalidOperationException();
    }

    /// <summary>The points of one metric as of now (cumulative), after flushing the host's meter provider.</summary>
    public IReadOnlyList<MetricPoint> Points(IServiceProvider services, string name)
    {
        services.GetRequiredService<MeterProvider>().ForceFlush();
        var latest = metrics.Snapshot().LastOrDefault(metric => metric.Name == name);
        return latest?.MetricPoints ?? [];
    }

    /// <summary>
    /// Waits (up to 10 s) until the metric's points satisfy <paramref name="until"/>, and returns them: measurements taken
    /// when a request ends (http.server.request.duration) are recorded after the client has its response.
    /// </summary>
    public async Task<IReadOnlyList<MetricPoint>> PointsAsync(IServiceProvider services, string name, Func<IReadOnlyList<MetricPoint>, bool> until)
    {
        var deadline = Stopwatch.StartNew();
        var points = Points(services, name);
        while (!until(points) && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
            points = Points(services, name);
        }

        return points;
    }

    public static string? Tag(MetricPoint point, string name)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == name)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }

    public static string Describe(Activity span) =>
        $"{span.DisplayName} [{span.Kind}, source {span.Source.Name}, trace {span.TraceId}, parent {span.ParentSpanId}] " +
        string.Join(", ", span.TagObjects.Where(tag => tag.Key != "url.path").Select(tag => $"{tag.Key}={tag.Value}"));

    public static bool IsDatabaseSpan(Activity span) =>
        span.Kind == ActivityKind.Client && span.TagObjects.Any(tag => tag.Key is "db.system" or "db.system.name");

    public static bool IsGroupCommit(Activity span) => span.Source.Name == ServiceTelemetry.Name && span.DisplayName == "group commit";

    /// <summary>The exporters add from several threads; the test reads copies.</summary>
    private sealed class LockedList<T> : ICollection<T>
    {
        private readonly List<T> items = [];

        public int Count
        {
            get
            {
                lock (items)
                {
                    return items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public List<T> Snapshot()
        {
            lock (items)
            {
                return [.. items];
            }
        }

        public void Add(T item)
        {
            lock (items)
            {
                items.Add(item);
            }
        }

        public void Clear()
        {
            lock (items)
            {
                items.Clear();
            }
        }

        public bool Contains(T item) => Snapshot().Contains(item);

        public void CopyTo(T[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

        public bool Remove(T item)
        {
            lock (items)
            {
                return items.Remove(item);
            }
        }

        public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
