using System.Diagnostics;
using System.Diagnostics.Metrics;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Runs;

namespace IndustryData.OData.Service.Telemetry;

/// <summary>
/// The service's one Meter (<see cref="ServiceTelemetry.Name"/>). Names and units follow the OpenTelemetry semantic
/// conventions: durations are histograms in seconds, counts carry a {unit} annotation. Created through
/// <see cref="IMeterFactory"/>, so each host (and each test's host) has its own instruments; with no listener a
/// measurement is one check and nothing else.
/// </summary>
public sealed class ServiceMetrics
{
    public const string RunsCreated = "industrydata.runs.created";
    public const string RunsUpdated = "industrydata.runs.updated";
    public const string RunsDeleted = "industrydata.runs.deleted";
    public const string RequestsRejected = "industrydata.requests.rejected";
    public const string RequestsThrottled = "industrydata.requests.throttled";
    public const string GroupCommitSize = "industrydata.group_commit.size";
    public const string GroupCommitWaitTime = "industrydata.group_commit.wait_time";
    public const string GroupCommitDuration = "industrydata.group_commit.duration";
    public const string WriteGateWaitTime = "industrydata.write_gate.wait_time";
    public const string TokenCacheLookups = "industrydata.token_cache.lookups";
    public const string DeltaEntries = "industrydata.delta.entries";
    public const string IdempotentCreates = "industrydata.idempotency.creates";

    public const string RunTypeAttribute = "industrydata.run.type";
    public const string TokenCacheResultAttribute = "industrydata.token_cache.result";
    public const string DeltaPhaseAttribute = "industrydata.delta.phase";
    public const string DeltaKindAttribute = "industrydata.delta.kind";
    public const string IdempotencyOutcomeAttribute = "industrydata.idempotency.outcome";

    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10, 30];

    private readonly Counter<long> created;
    private readonly Counter<long> updated;
    private readonly Counter<long> deleted;
    private readonly Counter<long> rejected;
    private readonly Counter<long> throttled;
    private readonly Histogram<int> groupCommitSize;
    private readonly Histogram<double> groupCommitWait;
    private readonly Histogram<double> groupCommitDuration;
    private readonly Histogram<double> writeGateWait;
    private readonly Counter<long> tokenCache;
    private readonly Counter<long> deltaEntries;
    private readonly Counter<long> idempotentCreates;

    public ServiceMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ServiceTelemetry.Name);
        created = meter.CreateCounter<long>(RunsCreated, "{run}", "Runs created (committed), by type.");
        updated = meter.CreateCounter<long>(RunsUpdated, "{run}", "Runs updated by PATCH or PUT (committed), by type.");
        deleted = meter.CreateCounter<long>(RunsDeleted, "{run}", "Runs deleted (committed), by type.");
        rejected = meter.CreateCounter<long>(RequestsRejected, "{request}",
            "Error responses (and failed $batch parts), by innerError.code and HTTP status.");
        throttled = meter.CreateCounter<long>(RequestsThrottled, "{request}", "Requests refused with 429 because the caller went over its rate.");
        groupCommitSize = meter.CreateHistogram(GroupCommitSize, "{run}", "Creates committed together in one group commit.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
        groupCommitWait = meter.CreateHistogram(GroupCommitWaitTime, "s", "How long a create waited in the group-commit queue before its commit began.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        groupCommitDuration = meter.CreateHistogram(GroupCommitDuration, "s", "How long one group commit took (write turn, insert, commit).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        writeGateWait = meter.CreateHistogram(WriteGateWaitTime, "s", "How long a writer waited for its turn at the SQLite write gate.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        tokenCache = meter.CreateCounter<long>(TokenCacheLookups, "{lookup}", "Bearer-token validations answered from the cache (hit) or validated anew (miss).");
        deltaEntries = meter.CreateCounter<long>(DeltaEntries, "{entry}",
            "Entries delta() delivered, by phase (initial: the first walk over every run; changes: from a delta link) and kind (run or removed).");
        idempotentCreates = meter.CreateCounter<long>(IdempotentCreates, "{request}",
            "Creates sent with an Idempotency-Key and answered 201, by outcome: created (the key's first use created the run) or replayed (a repeat answered with the run the first request created, creating nothing). Refusals (409, 422) are in industrydata.requests.rejected.");
    }

    public void RunCreated(Run run) => created.Add(1, new KeyValuePair<string, object?>(RunTypeAttribute, RunTypeNames.Of(run)));

    public void RunUpdated(Run run) => updated.Add(1, new KeyValuePair<string, object?>(RunTypeAttribute, RunTypeNames.Of(run)));

    public void RunDeleted(Run run) => deleted.Add(1, new KeyValuePair<string, object?>(RunTypeAttribute, RunTypeNames.Of(run)));

    public void Rejected(int status, string innerCode) => rejected.Add(1,
        new KeyValuePair<string, object?>(ServiceTelemetry.ErrorCodeAttribute, innerCode),
        new KeyValuePair<string, object?>("http.response.status_code", status));

    public void Throttled() => throttled.Add(1);

    public void IdempotentCreate(bool replayed) =>
        idempotentCreates.Add(1, new KeyValuePair<string, object?>(IdempotencyOutcomeAttribute, replayed ? "replayed" : "created"));

    public void DeltaDelivered(string phase, int runs, int removed)
    {
        var phaseTag = new KeyValuePair<string, object?>(DeltaPhaseAttribute, phase);
        if (runs > 0)
        {
            deltaEntries.Add(runs, phaseTag, new KeyValuePair<string, object?>(DeltaKindAttribute, "run"));
        }

        if (removed > 0)
        {
            deltaEntries.Add(removed, phaseTag, new KeyValuePair<string, object?>(DeltaKindAttribute, "removed"));
        }
    }

    public void TokenCacheLookup(bool hit) =>
        tokenCache.Add(1, new KeyValuePair<string, object?>(TokenCacheResultAttribute, hit ? "hit" : "miss"));

    public bool GroupCommitWaitEnabled => groupCommitWait.Enabled;

    public void GroupCommitted(int size, TimeSpan duration)
    {
        groupCommitSize.Record(size);
        groupCommitDuration.Record(duration.TotalSeconds);
    }

    public void GroupCommitWaited(long enqueuedTimestamp) => groupCommitWait.Record(Stopwatch.GetElapsedTime(enqueuedTimestamp).TotalSeconds);

    public void WriteGateWaited(TimeSpan wait) => writeGateWait.Record(wait.TotalSeconds);
}
