using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Reliability;

/// <summary>
/// Two service processes on one SQLite file (two replicas on a shared volume): each sees the other's writes at
/// once, ETags mean the same on both, and writes racing through both lose nothing.
/// </summary>
public class MultipleInstanceTests
{
    private SqliteTestDatabase database = null!;
    private ServiceProcess a = null!;
    private ServiceProcess b = null!;
    private HttpClient clientA = null!;
    private HttpClient clientB = null!;

    [SetUp]
    public async Task StartTwoInstances()
    {
        database = new SqliteTestDatabase();
        var starting = new[] { ServiceProcess.StartAsync(database.FilePath), ServiceProcess.StartAsync(database.FilePath) };
        try
        {
            // Both start (and migrate) at the same moment, as replicas do.
            var started = await Task.WhenAll(starting);
            (a, b) = (started[0], started[1]);
        }
        catch
        {
            foreach (var start in starting.Where(s => s.IsCompletedSuccessfully))
            {
                await start.Result.DisposeAsync();
            }

            throw;
        }

        clientA = a.CreateClient();
        clientB = b.CreateClient();
    }

    [TearDown]
    public async Task StopInstances()
    {
        clientA?.Dispose();
        clientB?.Dispose();
        if (a is not null)
        {
            await a.DisposeAsync();
        }

        if (b is not null)
        {
            await b.DisposeAsync();
        }

        await database.DisposeAsync();
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_run_written_through_one_instance_is_read_and_updated_with_etags_through_the_other()
    {
        var created = await clientA.CreateRunAsync(RunBodies.ApiPageExample());
        var id = (string)created["id"]!;
        Assert.That(StoredRunAssert.Differences(created, await RunListing.OneAsync(clientB, id)), Is.Empty, "B reads what A created");

        var etagAfterA = await PatchAsync(clientA, id, (string)created["@odata.etag"]!, "changed through A", HttpStatusCode.NoContent);
        using (var readB = await clientB.GetAsync($"runs('{id}')"))
        {
            var body = await readB.ReadJsonAsync();
            Assert.That((string?)body["displayName"], Is.EqualTo("changed through A"));
            Assert.That(readB.Header("ETag"), Is.EqualTo(etagAfterA), "both instances give the same ETag for the same state");
        }

        var etagAfterB = await PatchAsync(clientB, id, etagAfterA, "changed through B", HttpStatusCode.NoContent);
        await PatchAsync(clientA, id, etagAfterA, "stale write through A", HttpStatusCode.PreconditionFailed);

        var final = await clientA.GetJsonAsync($"runs('{id}')");
        Assert.Multiple(() =>
        {
            Assert.That((string?)final["displayName"], Is.EqualTo("changed through B"));
            Assert.That((string?)final["@odata.etag"], Is.EqualTo(etagAfterB));
        });

        using var delete = await clientB.SendJsonAsync(HttpMethod.Delete, $"runs('{id}')", string.Empty, headers: new Dictionary<string, string> { ["If-Match"] = etagAfterB });
        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await RunListing.OneAsync(clientA, id), Is.Null, "A no longer finds what B deleted");
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task Creates_and_racing_updates_through_both_instances_lose_nothing()
    {
        const int clientsPerInstance = 16;
        var creates = ReliabilitySettings.Soak ? 10_000 : 600;
        var warmUp = await Task.WhenAll(
            CreateLoad.RunAsync(a, clientsPerInstance, clientsPerInstance, CancellationToken.None),
            CreateLoad.RunAsync(b, clientsPerInstance, clientsPerInstance, CancellationToken.None));
        var clock = Stopwatch.StartNew();
        var loads = await Task.WhenAll(
            CreateLoad.RunAsync(a, clientsPerInstance, creates / 2, CancellationToken.None),
            CreateLoad.RunAsync(b, clientsPerInstance, creates / 2, CancellationToken.None));
        var duration = clock.Elapsed;
        var timed = loads.SelectMany(load => load).ToList();
        var outcomes = warmUp.SelectMany(load => load).Concat(timed).ToList();
        var acknowledged = outcomes.Where(o => o.Acknowledged).Select(o => o.Id!).ToList();
        var listedA = (await RunListing.AllAsync(clientA)).Select(run => (string)run["id"]!).ToList();
        var listedB = (await RunListing.AllAsync(clientB)).Select(run => (string)run["id"]!).ToList();
        TestContext.Out.WriteLine($"two instances: {outcomes.Count} creates from {2 * clientsPerInstance} clients ({outcomes.Count - timed.Count} warm-up, then {timed.Count} in {duration.TotalSeconds:0.00} s = {timed.Count / duration.TotalSeconds:0}/s); statuses {LoadFigures.Statuses(outcomes)}; timed {LoadFigures.Latency(timed)}; listed via A {listedA.Count}, via B {listedB.Count}");

        var races = ReliabilitySettings.Soak ? 200 : 20;
        var raceStatuses = new List<HttpStatusCode>();
        for (var race = 0; race < races; race++)
        {
            var run = await clientA.CreateRunAsync(RunBodies.Outgoing());
            var id = (string)run["id"]!;
            var etag = (string)run["@odata.etag"]!;
            var statuses = await Task.WhenAll(
                PatchStatusAsync(clientA, id, etag, "A wins"),
                PatchStatusAsync(clientB, id, etag, "B wins"));
            raceStatuses.AddRange(statuses);
            Assert.That(statuses, Is.EquivalentTo(new[] { HttpStatusCode.NoContent, HttpStatusCode.PreconditionFailed }), $"race {race}: exactly one of two updates with the same ETag may win");
        }

        TestContext.Out.WriteLine($"lost-update races across instances: {races}, each with one 204 and one 412 ({raceStatuses.Count(s => s == HttpStatusCode.NoContent)} wins)");
        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Where(o => !o.Acknowledged), Is.Empty, $"{a.Output}\n{b.Output}");
            Assert.That(listedA, Is.EquivalentTo(acknowledged));
            Assert.That(listedB, Is.EqualTo(listedA), "both instances list the same runs in the same order");
        });
    }

    private static async Task<string> PatchAsync(HttpClient client, string id, string ifMatch, string displayName, HttpStatusCode expected)
    {
        using var response = await client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')", new JsonObject { ["displayName"] = displayName }.ToJsonString(),
            headers: new Dictionary<string, string> { ["If-Match"] = ifMatch });
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
        return response.Header("ETag");
    }

    private static async Task<HttpStatusCode> PatchStatusAsync(HttpClient client, string id, string ifMatch, string displayName)
    {
        using var response = await client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')", new JsonObject { ["displayName"] = displayName }.ToJsonString(),
            headers: new Dictionary<string, string> { ["If-Match"] = ifMatch });
        return response.StatusCode;
    }
}
