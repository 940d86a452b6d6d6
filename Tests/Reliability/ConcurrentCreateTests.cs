using System.Diagnostics;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Reliability;

/// <summary>Many clients creating at once against the real server on a SQLite file: nothing lost, nothing doubled.</summary>
public class ConcurrentCreateTests
{
    private const int Clients = 32;

    [Test]
    [CancelAfter(600_000)]
    public async Task Every_acknowledged_create_from_parallel_clients_is_listed_exactly_once()
    {
        await using var database = new SqliteTestDatabase();
        await using var service = await ServiceProcess.StartAsync(database.FilePath);

        // One create per client first, so the figures below measure the service and not its JIT warming up.
        var warmUp = await CreateLoad.RunAsync(service, Clients, Clients, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        var timed = await CreateLoad.RunAsync(service, Clients, ReliabilitySettings.ConcurrentCreates, CancellationToken.None);
        var duration = clock.Elapsed;
        var outcomes = warmUp.Concat(timed).ToList();

        using var client = service.CreateClient();
        var listedIds = (await RunListing.AllAsync(client)).Select(run => (string)run["id"]!).ToList();
        var acknowledged = outcomes.Where(o => o.Acknowledged).Select(o => o.Id!).ToList();
        var verified = acknowledged.Intersect(listedIds, StringComparer.Ordinal).Count();

        TestContext.Out.WriteLine($"concurrent creates: {outcomes.Count} requests from {Clients} clients ({warmUp.Count} warm-up, then {timed.Count} in {duration.TotalSeconds:0.00} s = {timed.Count / duration.TotalSeconds:0} creates/s)");
        TestContext.Out.WriteLine($"  statuses: {LoadFigures.Statuses(outcomes)}; timed {LoadFigures.Latency(timed)}");
        TestContext.Out.WriteLine($"  201s: {acknowledged.Count}; listed: {listedIds.Count}; ids verified: {verified}");
        var failures = outcomes.Where(o => !o.Acknowledged).Take(5).Select(o => $"{o.Status} {o.Error} {o.Body?.ToJsonString()}");
        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Where(o => !o.Acknowledged), Is.Empty, service.Describe("Creates not answered 201:\n" + string.Join("\n", failures)));
            Assert.That(acknowledged, Is.Unique, "the service gave two creates the same id");
            Assert.That(listedIds, Is.Unique, "a run is listed twice across pages");
            Assert.That(listedIds, Is.EquivalentTo(acknowledged), "the listing must hold exactly the acknowledged runs");
        });
    }
}
