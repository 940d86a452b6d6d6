using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Tests.Changes;

/// <summary>
/// Delta is exact under load: 32 writers create, patch, replace and delete while a poller follows delta links; after
/// the writers stop and one last poll, the poller's picture is the table (every run in its final state, every deletion),
/// and no change was delivered twice. Also with the writers and the poller spread over two instances on one database.
/// </summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class DeltaConcurrencyTests(TestProvider provider) : ApiFixture(provider)
{
    private const int Writers = 32;
    private const int OperationsPerWriter = 12;

    [Test]
    public async Task A_poller_following_delta_links_under_32_writers_ends_with_the_table_and_no_change_twice()
    {
        await RunAsync([Client], [Client]);
    }

    [Test]
    public async Task Two_instances_on_one_database_give_the_same_guarantee()
    {
        if (Provider != TestProvider.Sqlite)
        {
            Assert.Ignore("Two in-process instances share the SQLite file here; on SQL Server, rowversion is database-wide by construction.");
        }

        await using var second = new ServiceHost(Host.Database);
        using var secondClient = second.CreateAuthorizedClient();
        await RunAsync([Client, secondClient], [secondClient, Client]);
    }

    private async Task RunAsync(HttpClient[] writers, HttpClient[] pollers)
    {
        var known = new ConcurrentBag<string>();
        for (var i = 0; i < 20; i++)
        {
            known.Add((string)(await writers[0].CreateRunAsync(RunBodies.Outgoing()))["id"]!);
        }

        var picture = new Picture();
        var deltaLink = await picture.FollowAsync(pollers[0], "runs/delta()");
        using var stop = new CancellationTokenSource();
        var polls = 0;
        var poller = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                deltaLink = await picture.FollowAsync(pollers[polls++ % pollers.Length], deltaLink);
                await Task.Delay(20);
            }
        });

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(() => WriteAsync(writers[writer % writers.Length], writer, known))));
        await stop.CancelAsync();
        await poller;
        deltaLink = await picture.FollowAsync(pollers[0], deltaLink);

        var table = await Host.WithDbAsync(db => db.Runs.AsNoTracking().ToDictionaryAsync(run => run.Id, run => (run.DisplayName, run.Version)));
        Assert.Multiple(() =>
        {
            Assert.That(polls, Is.GreaterThan(2), "the poller ran while the writers wrote");
            Assert.That(picture.Duplicates, Is.Empty, "no change delivered twice");
            Assert.That(picture.Runs.Keys, Is.EquivalentTo(table.Keys), "every run that exists, and no deleted one");
            foreach (var (id, run) in picture.Runs)
            {
                Assert.That(((string?)run["displayName"], (string?)run["@odata.etag"]),
                    Is.EqualTo((table.GetValueOrDefault(id).DisplayName, $"W/\"{table.GetValueOrDefault(id).Version}\"")), $"final state of {id}");
            }
        });
    }

    private static async Task WriteAsync(HttpClient client, int writer, ConcurrentBag<string> known)
    {
        var random = new Random(writer);
        for (var i = 0; i < OperationsPerWriter; i++)
        {
            var target = known.ElementAtOrDefault(random.Next(known.Count));
            var choice = random.Next(10);
            HttpStatusCode status;
            if (choice < 4 || target is null)
            {
                using var response = await client.PostAsync("runs", Json(RunBodies.Outgoing().With("displayName", $"w{writer} op{i}")));
                status = response.StatusCode;
                if (status == HttpStatusCode.Created)
                {
                    known.Add((string)(await response.ReadJsonAsync())["id"]!);
                }
            }
            else if (choice < 7)
            {
                using var response = await client.PatchAsync($"runs('{target}')", Json(new JsonObject { ["displayName"] = $"w{writer} patch{i}" }));
                status = response.StatusCode;
            }
            else if (choice < 8)
            {
                using var response = await client.PutAsync($"runs('{target}')", Json(RunBodies.Outgoing().With("displayName", $"w{writer} put{i}")));
                status = response.StatusCode;
            }
            else
            {
                using var response = await client.DeleteAsync($"runs('{target}')");
                status = response.StatusCode;
            }

            // 404 or 412: another writer deleted or changed the run between our read and our write; 503: busy beyond the bound.
            Assert.That(status, Is.AnyOf(HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.NoContent, HttpStatusCode.NotFound, HttpStatusCode.PreconditionFailed, HttpStatusCode.ServiceUnavailable));
        }
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>What a delta client knows: each run's last delivered state; deletions remove it.</summary>
    private sealed class Picture
    {
        public Dictionary<string, JsonObject> Runs { get; } = [];

        public List<string> Duplicates { get; } = [];

        private readonly HashSet<string> removed = [];

        public async Task<string> FollowAsync(HttpClient client, string url)
        {
            for (var next = url; ;)
            {
                using var response = await client.GetAsync(next);
                var page = await response.ReadJsonAsync();
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), page.ToJsonString());
                foreach (var entry in page["value"]!.AsArray().Select(item => item!.AsObject()))
                {
                    Apply(entry);
                }

                if ((string?)page["@odata.deltaLink"] is { } deltaLink)
                {
                    return deltaLink;
                }

                next = (string)page["@odata.nextLink"]!;
            }
        }

        private void Apply(JsonObject entry)
        {
            var id = (string)entry["id"]!;
            if (entry.ContainsKey("@removed"))
            {
                if (!removed.Add(id))
                {
                    Duplicates.Add($"{id} removed twice");
                }

                Runs.Remove(id);
                return;
            }

            if (Runs.TryGetValue(id, out var previous) && (string?)previous["@odata.etag"] == (string?)entry["@odata.etag"])
            {
                Duplicates.Add($"{id} delivered twice at {(string?)entry["@odata.etag"]}");
            }

            if (removed.Contains(id))
            {
                Duplicates.Add($"{id} delivered after its removal");
            }

            Runs[id] = entry;
        }
    }
}
