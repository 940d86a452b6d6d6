using System.Diagnostics.Metrics;
using IndustryData.OData.Service.Telemetry;

namespace IndustryData.OData.Service.Subscriptions;

/// <summary>Deliveries, retries, drops and commit-to-delivery latency, on the service's meter.</summary>
public sealed class NotificationMetrics
{
    public const string Delivered = "industrydata.notifications.delivered";
    public const string Failed = "industrydata.notifications.delivery_failures";
    public const string Dropped = "industrydata.notifications.dropped";
    public const string Latency = "industrydata.notifications.latency";

    private readonly Counter<long> delivered;
    private readonly Counter<long> failed;
    private readonly Counter<long> dropped;
    private readonly Histogram<double> latency;

    public NotificationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ServiceTelemetry.Name);
        delivered = meter.CreateCounter<long>(Delivered, "{notification}", "Change notifications a receiver accepted (2xx).");
        failed = meter.CreateCounter<long>(Failed, "{request}", "POSTs to a notificationUrl that failed (non-2xx, timeout, refused); each is retried with backoff.");
        dropped = meter.CreateCounter<long>(Dropped, "{notification}", "Change notifications given up after the retry window (a missed lifecycle notification follows).");
        latency = meter.CreateHistogram<double>(Latency, "s", "From the change's commit to the receiver's 2xx.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10, 30, 60] });
    }

    public void Accepted(int count, IEnumerable<double> secondsSinceCommit)
    {
        delivered.Add(count);
        foreach (var seconds in secondsSinceCommit)
        {
            latency.Record(Math.Max(0, seconds));
        }
    }

    public void DeliveryFailed() => failed.Add(1);

    public void GaveUp(long count) => dropped.Add(count);
}
