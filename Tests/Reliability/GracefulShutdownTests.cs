using System.Diagnostics;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Reliability;

/// <summary>
/// SIGTERM (what `docker stop` and Kubernetes send) in the middle of a stream of creates: the host stops taking
/// connections but finishes what it has, so every response that arrives is whole, every 201 is stored, the process
/// exits cleanly and the file is sound.
/// </summary>
public class GracefulShutdownTests
{
    private const int Clients = 32;

    [Test]
    [CancelAfter(300_000)]
    public async Task On_SIGTERM_requests_in_flight_complete_and_every_201_is_stored()
    {
        await using var database = new SqliteTestDatabase();
        List<CreateOutcome> outcomes;
        long terminatedAt;
        int exitCode;
        string output;
        await using (var service = await ServiceProcess.StartAsync(database.FilePath))
        {
            var warmUp = await CreateLoad.RunAsync(service, Clients, Clients, CancellationToken.None);
            using var stop = new CancellationTokenSource();
            var load = CreateLoad.RunAsync(service, Clients, null, stop.Token);
            await Task.Delay(TimeSpan.FromSeconds(ReliabilitySettings.Soak ? 20 : 2));
            terminatedAt = Stopwatch.GetTimestamp();
            service.SignalTerminate();
            using (var exitWait = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                await service.WaitForExitAsync(exitWait.Token);
            }

            await stop.CancelAsync();
            outcomes = [.. warmUp, .. await load];
            exitCode = service.ExitCode;
            output = service.Output;
        }

        var acknowledged = outcomes.Where(o => o.Acknowledged).ToList();
        var inFlight = outcomes.Where(o => o.Started < terminatedAt && o.Finished > terminatedAt).ToList();
        TestContext.Out.WriteLine($"SIGTERM during creates: {outcomes.Count} sent, {acknowledged.Count} acknowledged; statuses {LoadFigures.Statuses(outcomes)}");
        TestContext.Out.WriteLine($"  in flight when SIGTERM was sent: {inFlight.Count} ({inFlight.Count(o => o.Acknowledged)} completed with 201, {inFlight.Count(o => o.Status is null)} refused or reset without a response); exit code {exitCode}");
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, "SIGTERM must end the service cleanly\n" + output);
            Assert.That(outcomes.Where(o => o.Status >= 500), Is.Empty, "no 5xx while shutting down");
            Assert.That(outcomes.Where(o => o.Status is not null && !o.Acknowledged).Select(o => $"{o.Status} {o.Error}"), Is.Empty,
                "every response that arrived must be a whole 201");
            Assert.That(inFlight.Count(o => o.Acknowledged), Is.GreaterThan(0), "no request was in flight at the SIGTERM: the test did not test shutdown");
        });

        await using (var restarted = await ServiceProcess.StartAsync(database.FilePath))
        {
            using var client = restarted.CreateClient();
            var differences = new List<string>();
            foreach (var outcome in acknowledged)
            {
                differences.AddRange(StoredRunAssert.Differences(outcome.Body!, await RunListing.OneAsync(client, outcome.Id!)));
            }

            var listed = await RunListing.AllAsync(client);
            TestContext.Out.WriteLine($"  after restart: {acknowledged.Count - differences.Count} of {acknowledged.Count} acknowledged runs intact; {listed.Count} listed");
            Assert.That(differences, Is.Empty);
            Assert.That(await restarted.StopAsync(), Is.Zero, restarted.Output);
        }

        var integrity = SqliteFile.IntegrityCheck(database.FilePath);
        TestContext.Out.WriteLine($"  PRAGMA integrity_check: {integrity}");
        Assert.That(integrity, Is.EqualTo("ok"));
    }
}
