using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Reliability;

/// <summary>
/// 32 clients create, PATCH, PUT and DELETE at once on a SQLite file (8 s in CI, 30 s with INDUSTRYDATA_SOAK=1 or
/// INDUSTRYDATA_MIXED_SECONDS). Every write takes its turn at the write gate with a 2 s bound: no 5xx but the
/// documented 503 with Retry-After, no request much over the bound, no lost update — each shared run ends exactly as
/// its last acknowledged write left it — and the store holds exactly the acknowledged creates minus the acknowledged
/// deletes.
/// </summary>
public class MixedWriteLoadTests
{
    private const int Clients = 32;
    private const int SharedRuns = 8;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    // Routing, body and answer around the wait, on a 2-core machine shared with other builds.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(3);

    [Test]
    [CancelAfter(300_000)]
    public async Task Mixed_writes_from_32_clients_lose_nothing_and_never_wait_past_the_bound()
    {
        await using var database = new SqliteTestDatabase();
        await using var host = new ServiceHost(database, new Dictionary<string, string?>
        {
            ["Storage:WriteTurnTimeout"] = "00:00:02",
            ["Throttling:PermitsPerWindow"] = "10000000",
        });
        using var setup = host.CreateAuthorizedClient();
        var shared = new List<string>();
        for (var i = 0; i < SharedRuns; i++)
        {
            shared.Add((string)(await setup.CreateRunAsync(RunBodies.Outgoing()))["id"]!);
        }

        var writes = new ConcurrentBag<Write>();
        var created = new ConcurrentBag<string>();
        var deleted = new ConcurrentBag<string>();
        var duration = ReliabilitySettings.MixedLoadDuration;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            using var client = host.CreateAuthorizedClient();
            var random = new Random(1000 + c);
            var own = new List<string>();
            var seenETags = new Dictionary<string, string>();
            for (var n = 0; clock.Elapsed < duration; n++)
            {
                var name = $"c{c}-{n}";
                var pick = random.NextDouble();
                if (pick < 0.25 || (pick >= 0.85 && own.Count == 0))
                {
                    var write = await SendAsync(client, "POST", null, name, () => client.PostJsonAsync("runs", RunBodies.Outgoing().With("displayName", name)));
                    writes.Add(write);
                    if (write.Status == 201)
                    {
                        own.Add(write.RunId!);
                        created.Add(write.RunId!);
                    }
                }
                else if (pick < 0.85)
                {
                    var id = shared[random.Next(shared.Count)];
                    var headers = new Dictionary<string, string>();
                    if (random.Next(2) == 0 && seenETags.TryGetValue(id, out var etag))
                    {
                        headers["If-Match"] = etag;
                    }

                    var put = pick >= 0.55;
                    var body = put
                        ? RunBodies.Outgoing().With("displayName", name).ToJsonString()
                        : new JsonObject { ["displayName"] = name, ["status"] = "running" }.ToJsonString();
                    var write = await SendAsync(client, put ? "PUT" : "PATCH", id, name,
                        () => client.SendJsonAsync(put ? HttpMethod.Put : HttpMethod.Patch, $"runs('{id}')", body, headers: headers));
                    writes.Add(write);
                    if (write.ETag is { } newETag)
                    {
                        seenETags[id] = newETag;
                    }
                }
                else
                {
                    var id = own[random.Next(own.Count)];
                    var write = await SendAsync(client, "DELETE", id, name, () => client.DeleteAsync($"runs('{id}')"));
                    writes.Add(write);
                    if (write.Status == 204)
                    {
                        own.Remove(id);
                        deleted.Add(id);
                    }
                }
            }
        })));
        var elapsed = clock.Elapsed;

        var all = writes.ToList();
        var sorted = all.Select(w => w.Latency.TotalMilliseconds).Order().ToArray();
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"mixed writes: {all.Count} in {elapsed.TotalSeconds:0.0} s from {Clients} clients ({all.Count / elapsed.TotalSeconds:0}/s); " +
            $"{string.Join(", ", all.GroupBy(w => $"{w.Method} {w.Status}").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}"))}; " +
            $"latency ms p50 {sorted[sorted.Length / 2]:0}, p99 {sorted[(int)(sorted.Length * 0.99)]:0}, max {sorted[^1]:0}"));

        Assert.Multiple(() =>
        {
            Assert.That(all.Where(w => w.Status is >= 500 and not 503), Is.Empty, "5xx other than 503");
            Assert.That(all.Where(w => w.Status == 503 && !w.HasRetryAfter), Is.Empty, "503 without Retry-After");
            Assert.That(all.Where(w => w.Status is not (200 or 201 or 204 or 412 or 503)).Select(w => $"{w.Method} {w.Status} {w.Error}"), Is.Empty,
                "unexpected statuses (412 is a stale If-Match)");
            Assert.That(all.Where(w => w.Latency > Bound + Margin).Select(w => $"{w.Method} {w.Status} {w.Latency.TotalSeconds:0.0} s"), Is.Empty,
                "requests over the bound plus margin");
        });

        // No lost update: each shared run is exactly what its highest acknowledged version says.
        foreach (var id in shared)
        {
            var last = all.Where(w => w.RunId == id && w.Version is not null).MaxBy(w => w.Version);
            var stored = await setup.GetJsonAsync($"runs('{id}')");
            Assert.That(last, Is.Not.Null, $"no acknowledged write on {id}");
            Assert.Multiple(() =>
            {
                Assert.That((string?)stored["@odata.etag"], Is.EqualTo(last!.ETag), $"{id}: the stored version is not the last acknowledged one");
                Assert.That((string?)stored["displayName"], Is.EqualTo(last.DisplayName), $"{id}: the last acknowledged write is not what is stored");
            });
        }

        var remaining = created.Except(deleted).ToHashSet();
        Assert.That(await host.CountRunsAsync(), Is.EqualTo(SharedRuns + remaining.Count), "stored runs must be the acknowledged creates minus the acknowledged deletes");
        foreach (var id in deleted.Take(20))
        {
            using var gone = await setup.GetAsync($"runs('{id}')");
            Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), id);
        }
    }

    private static async Task<Write> SendAsync(HttpClient client, string method, string? runId, string displayName, Func<Task<HttpResponseMessage>> send)
    {
        var clock = Stopwatch.StartNew();
        using var response = await send();
        var text = await response.Content.ReadAsStringAsync();
        var latency = clock.Elapsed;
        var status = (int)response.StatusCode;
        var etag = status is >= 200 and < 300 ? response.Headers.ETag?.ToString() : null;
        if (method == "POST" && status == 201)
        {
            runId = (string?)JsonNode.Parse(text)!["id"];
        }

        return new Write(method, runId, displayName, status, etag, response.Headers.RetryAfter is not null, latency, status >= 400 ? text : null);
    }

    private sealed record Write(string Method, string? RunId, string DisplayName, int Status, string? ETag, bool HasRetryAfter, TimeSpan Latency, string? Error)
    {
        /// <summary>The version an acknowledged write produced (W/"n"); deletes have none.</summary>
        public long? Version => ETag is null || Method == "DELETE" ? null : long.Parse(ETag.Trim('W', '/', '"'), CultureInfo.InvariantCulture);
    }
}
