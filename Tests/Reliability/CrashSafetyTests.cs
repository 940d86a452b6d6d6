using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Reliability;

/// <summary>
/// SIGKILL in the middle of a stream of creates (no shutdown code runs, as in a crash or an OOM kill), then a
/// restart on the same file: every 201 is there and intact, and the file passes SQLite's integrity check.
/// </summary>
public class CrashSafetyTests
{
    private const int Clients = 4;

    [Test]
    [CancelAfter(600_000)]
    public async Task Runs_acknowledged_before_a_SIGKILL_are_intact_after_a_restart()
    {
        await using var database = new SqliteTestDatabase();
        var acknowledged = new List<JsonObject>();
        var random = new Random(7);
        for (var cycle = 1; cycle <= ReliabilitySettings.CrashCycles; cycle++)
        {
            List<CreateOutcome> outcomes;
            await using (var service = await ServiceProcess.StartAsync(database.FilePath))
            {
                using var stop = new CancellationTokenSource();
                var load = CreateLoad.RunAsync(service, Clients, null, stop.Token);
                await Task.Delay(TimeSpan.FromMilliseconds(1500 + random.Next(1000)));
                service.Kill();
                await stop.CancelAsync();
                outcomes = [.. await load];
            }

            acknowledged.AddRange(outcomes.Where(o => o.Acknowledged).Select(o => o.Body!));
            var unanswered = outcomes.Count(o => o.Status is null);
            var cut = outcomes.Count(o => o.Status is not null && o.Error is not null);
            TestContext.Out.WriteLine($"crash cycle {cycle}: {outcomes.Count} creates sent, {outcomes.Count(o => o.Acknowledged)} acknowledged, {unanswered} without a response at the SIGKILL, {cut} with a cut-off body; statuses {LoadFigures.Statuses(outcomes)}");
            Assert.That(outcomes.Where(o => o.Status is not null and not 201), Is.Empty, "creates before the kill must succeed");
            Assert.That(outcomes.Count(o => o.Acknowledged), Is.GreaterThan(0), "the kill came before any create was acknowledged");
        }

        await using (var restarted = await ServiceProcess.StartAsync(database.FilePath))
        {
            using var client = restarted.CreateClient();
            var differences = new List<string>();
            foreach (var run in acknowledged)
            {
                differences.AddRange(StoredRunAssert.Differences(run, await RunListing.OneAsync(client, (string)run["id"]!)));
            }

            var listed = await RunListing.AllAsync(client);
            TestContext.Out.WriteLine($"after restart: {acknowledged.Count} acknowledged runs read back one by one, {acknowledged.Count - differences.Count} intact; {listed.Count} runs listed (creates in flight at a kill may or may not have committed)");
            Assert.Multiple(() =>
            {
                Assert.That(differences, Is.Empty, "acknowledged runs lost or changed by the crash");
                Assert.That(listed, Has.Count.GreaterThanOrEqualTo(acknowledged.Count));
            });
            Assert.That(await restarted.StopAsync(), Is.Zero, restarted.Output);
        }

        var integrity = SqliteFile.IntegrityCheck(database.FilePath);
        TestContext.Out.WriteLine($"PRAGMA integrity_check: {integrity}");
        Assert.That(integrity, Is.EqualTo("ok"));
    }
}
