using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Service.Telemetry;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace IndustryData.OData.Tests.Telemetry;

/// <summary>The service's meter as an operator's metrics backend sees it.</summary>
public class MetricsTests : ApiFixture
{
    private readonly CollectedTelemetry telemetry = new();

    protected override void ConfigureServices(IServiceCollection services) => telemetry.AddTo(services);

    private IReadOnlyList<MetricPoint> Points(string name) => telemetry.Points(Host.Services, name);

    private static long Sum(IEnumerable<MetricPoint> points, params (string Key, string Value)[] tags) => points
        .Where(point => tags.All(tag => CollectedTelemetry.Tag(point, tag.Key) == tag.Value))
        .Sum(point => point.GetSumLong());

    [Test]
    public async Task A_rejected_request_is_counted_by_its_inner_error_code_and_status()
    {
        using var invalid = await Client.PostJsonAsync("runs", RunBodies.Outgoing().With("status", "Completed"));
        using var missing = await Client.GetAsync("runs('no-such-run')");
        Assert.That((int)invalid.StatusCode, Is.EqualTo(400));

        var rejected = Points(ServiceMetrics.RequestsRejected);
        Assert.Multiple(() =>
        {
            Assert.That(Sum(rejected, (ServiceTelemetry.ErrorCodeAttribute, "invalidEnumValue"), ("http.response.status_code", "400")), Is.EqualTo(1));
            Assert.That(Sum(rejected, (ServiceTelemetry.ErrorCodeAttribute, "resourceNotFound"), ("http.response.status_code", "404")), Is.EqualTo(1));
            Assert.That(Sum(rejected), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task The_standard_request_duration_histogram_is_recorded_by_route()
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        using var read = await Client.GetAsync($"runs('{id}')");

        static long ReadsOfOneRun(IEnumerable<MetricPoint> points) =>
            points.Where(point => CollectedTelemetry.Tag(point, "http.route") == "runs({key})").Sum(point => point.GetHistogramCount());
        var durations = await telemetry.PointsAsync(Host.Services, "http.server.request.duration", points => ReadsOfOneRun(points) > 0);
        Assert.That(ReadsOfOneRun(durations), Is.EqualTo(1),
            string.Join("; ", durations.Select(point => CollectedTelemetry.Tag(point, "http.route"))));
    }

    [Test]
    public async Task Run_changes_are_counted_by_type_once_committed()
    {
        var outgoing = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        await Client.CreateRunAsync(RunBodies.Incoming());
        using var patch = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{outgoing}')", """{"status":"failed"}""");
        using var delete = await Client.DeleteAsync($"runs('{outgoing}')");
        Assert.That((int)delete.StatusCode, Is.EqualTo(204));

        // A batch: one create that commits, and an atomicity group whose create is rolled back by its failing partner.
        var batch = new JsonObject
        {
            ["requests"] = new JsonArray(
                Part("kept", "POST", "runs", RunBodies.Incoming()),
                Part("undone", "POST", "runs", RunBodies.Incoming(), "group"),
                Part("fails", "PATCH", "runs('no-such-run')", new JsonObject { ["status"] = "failed" }, "group")),
        };
        using var batchResponse = await Client.PostJsonAsync("$batch", batch);
        Assert.That((int)batchResponse.StatusCode, Is.EqualTo(200));

        const string outgoingType = "microsoft.graph.industryData.outgoingFlowRun";
        const string incomingType = "microsoft.graph.industryData.incomingFlowRun";
        Assert.Multiple(() =>
        {
            Assert.That(Sum(Points(ServiceMetrics.RunsCreated), (ServiceMetrics.RunTypeAttribute, outgoingType)), Is.EqualTo(1));
            Assert.That(Sum(Points(ServiceMetrics.RunsCreated), (ServiceMetrics.RunTypeAttribute, incomingType)), Is.EqualTo(2), "the rolled-back create is not counted");
            Assert.That(Sum(Points(ServiceMetrics.RunsUpdated), (ServiceMetrics.RunTypeAttribute, outgoingType)), Is.EqualTo(1));
            Assert.That(Sum(Points(ServiceMetrics.RunsDeleted), (ServiceMetrics.RunTypeAttribute, outgoingType)), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Group_commits_and_write_turns_are_measured()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Client.CreateRunAsync(RunBodies.Outgoing())));

        var sizes = Points(ServiceMetrics.GroupCommitSize);
        Assert.Multiple(() =>
        {
            Assert.That(sizes.Sum(point => point.GetHistogramSum()), Is.EqualTo(8), "every create is in exactly one group commit");
            Assert.That(Points(ServiceMetrics.GroupCommitWaitTime).Sum(point => point.GetHistogramCount()), Is.EqualTo(8), "one wait per create");
            Assert.That(Points(ServiceMetrics.GroupCommitDuration).Sum(point => point.GetHistogramCount()), Is.EqualTo(sizes.Sum(point => point.GetHistogramCount())));
            Assert.That(Points(ServiceMetrics.WriteGateWaitTime).Sum(point => point.GetHistogramCount()), Is.GreaterThanOrEqualTo(1), "SQLite writers take turns at the gate");
        });
    }

    [Test]
    public async Task Token_validations_are_counted_as_cache_hits_and_misses()
    {
        using var first = await Client.GetAsync("runs");
        using var second = await Client.GetAsync("runs");
        using var third = await Client.GetAsync("runs");

        var lookups = Points(ServiceMetrics.TokenCacheLookups);
        Assert.Multiple(() =>
        {
            Assert.That(Sum(lookups, (ServiceMetrics.TokenCacheResultAttribute, "miss")), Is.EqualTo(1));
            Assert.That(Sum(lookups, (ServiceMetrics.TokenCacheResultAttribute, "hit")), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Delta_entries_are_counted_by_phase_and_kind()
    {
        var kept = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        var deleted = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        var first = await Client.GetJsonAsync("runs/delta()");
        using (await Client.DeleteAsync($"runs('{deleted}')"))
        using (await Client.PatchAsync($"runs('{kept}')", new StringContent("""{"status":"failed"}""", System.Text.Encoding.UTF8, "application/json")))
        {
        }

        await Client.GetJsonAsync((string)first["@odata.deltaLink"]!);

        var entries = Points(ServiceMetrics.DeltaEntries);
        Assert.Multiple(() =>
        {
            Assert.That(Sum(entries, (ServiceMetrics.DeltaPhaseAttribute, "initial"), (ServiceMetrics.DeltaKindAttribute, "run")), Is.EqualTo(2));
            Assert.That(Sum(entries, (ServiceMetrics.DeltaPhaseAttribute, "changes"), (ServiceMetrics.DeltaKindAttribute, "run")), Is.EqualTo(1));
            Assert.That(Sum(entries, (ServiceMetrics.DeltaPhaseAttribute, "changes"), (ServiceMetrics.DeltaKindAttribute, "removed")), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Keyed_creates_are_counted_as_created_or_replayed_and_their_runs_as_created()
    {
        var body = RunBodies.Outgoing().ToJsonString();
        Task<HttpResponseMessage> Keyed(string key, string json) =>
            Client.SendJsonAsync(HttpMethod.Post, "runs", json, headers: new Dictionary<string, string> { ["Idempotency-Key"] = key });

        using var first = await Keyed("metrics-key", body);
        using var repeat = await Keyed("metrics-key", body);
        using var other = await Keyed("metrics-key", RunBodies.Outgoing().With("displayName", "Another run").ToJsonString());
        Assert.That(((int)first.StatusCode, (int)repeat.StatusCode, (int)other.StatusCode), Is.EqualTo((201, 201, 422)));

        // In a $batch a keyed create counts when the batch commits it; one rolled back with its atomicity group does not.
        var kept = Part("kept", "POST", "runs", RunBodies.Incoming());
        kept["headers"]!["Idempotency-Key"] = "metrics-batch-kept";
        var undone = Part("undone", "POST", "runs", RunBodies.Incoming(), "group");
        undone["headers"]!["Idempotency-Key"] = "metrics-batch-undone";
        var batch = new JsonObject
        {
            ["requests"] = new JsonArray(kept, undone, Part("fails", "PATCH", "runs('no-such-run')", new JsonObject { ["status"] = "failed" }, "group")),
        };
        using var batchResponse = await Client.PostJsonAsync("$batch", batch);
        Assert.That((int)batchResponse.StatusCode, Is.EqualTo(200));

        var keyed = Points(ServiceMetrics.IdempotentCreates);
        Assert.Multiple(() =>
        {
            Assert.That(Sum(keyed, (ServiceMetrics.IdempotencyOutcomeAttribute, "created")), Is.EqualTo(2), "the first use, and the batch's committed create");
            Assert.That(Sum(keyed, (ServiceMetrics.IdempotencyOutcomeAttribute, "replayed")), Is.EqualTo(1));
            Assert.That(Sum(Points(ServiceMetrics.RunsCreated), (ServiceMetrics.RunTypeAttribute, "microsoft.graph.industryData.outgoingFlowRun")), Is.EqualTo(1),
                "a keyed create is a created run; its replay creates nothing");
            Assert.That(Sum(Points(ServiceMetrics.RunsCreated), (ServiceMetrics.RunTypeAttribute, "microsoft.graph.industryData.incomingFlowRun")), Is.EqualTo(1));
            Assert.That(Sum(Points(ServiceMetrics.RequestsRejected), (ServiceTelemetry.ErrorCodeAttribute, "idempotencyKeyReused"), ("http.response.status_code", "422")), Is.EqualTo(1));
        });
    }

    private static JsonObject Part(string id, string method, string url, JsonObject body, string? group = null)
    {
        var part = new JsonObject
        {
            ["id"] = id, ["method"] = method, ["url"] = url, ["body"] = body,
            ["headers"] = new JsonObject { ["Content-Type"] = "application/json" },
        };
        if (group is not null)
        {
            part["atomicityGroup"] = group;
        }

        return part;
    }
}

/// <summary>Throttling needs a small limit of its own.</summary>
public class ThrottlingMetricsTests : ApiFixture
{
    private readonly CollectedTelemetry telemetry = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Throttling:PermitsPerWindow"] = "2",
        ["Throttling:Window"] = "00:01:00",
    };

    protected override void ConfigureServices(IServiceCollection services) => telemetry.AddTo(services);

    [Test]
    public async Task Throttled_requests_are_counted()
    {
        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await Client.GetAsync("runs");
            statuses.Add((int)response.StatusCode);
        }

        Assert.That(statuses, Is.EqualTo(new[] { 200, 200, 429, 429 }));
        var throttled = telemetry.Points(Host.Services, ServiceMetrics.RequestsThrottled);
        var rejected = telemetry.Points(Host.Services, ServiceMetrics.RequestsRejected);
        Assert.Multiple(() =>
        {
            Assert.That(throttled.Sum(point => point.GetSumLong()), Is.EqualTo(2));
            Assert.That(rejected.Where(point => CollectedTelemetry.Tag(point, ServiceTelemetry.ErrorCodeAttribute) == "throttled").Sum(point => point.GetSumLong()), Is.EqualTo(2));
        });
    }
}
