using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// The search indexes are written by the statement that writes the run: while 16 writers create, rename and delete runs,
/// every search sees every run whose create had been answered (and not yet renamed or deleted) and none whose delete or
/// rename away had been answered before the search was sent. Runs in flight may go either way.
/// </summary>
public sealed class SearchConcurrencyTests : ApiFixture
{
    private const int Writers = 16;
    private const int RunsPerWriter = 8;

    private enum State
    {
        Findable,
        Changing,
        Gone,
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Every_committed_run_is_found_and_no_deleted_or_renamed_run_is_returned()
    {
        var states = new ConcurrentDictionary<string, State>();
        using var done = new CancellationTokenSource();
        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(() => WriteAsync(writer, states))).ToList();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() => ReadAsync(states, "alpha", done.Token))).ToList();
        readers.Add(Task.Run(() => ReadAsync(states, "contains(displayName,'alpha')", done.Token)));

        await Task.WhenAll(writers);
        await done.CancelAsync();
        var checks = await Task.WhenAll(readers);

        var final = await Client.GetJsonAsync("runs?$search=alpha&$top=1000");
        var found = final["value"]!.AsArray().Select(run => (string)run!["id"]!).ToHashSet();
        Assert.Multiple(() =>
        {
            Assert.That(checks.Sum(), Is.GreaterThan(5), "searches made while writing");
            Assert.That(found, Is.EquivalentTo(states.Where(pair => pair.Value == State.Findable).Select(pair => pair.Key)));
            Assert.That(states.Values.Count(state => state == State.Gone), Is.GreaterThan(Writers));
        });
    }

    /// <summary>Creates runs named alpha; renames every third to omega and deletes every third, one after another.</summary>
    private async Task WriteAsync(int writer, ConcurrentDictionary<string, State> states)
    {
        for (var i = 0; i < RunsPerWriter; i++)
        {
            var created = await Client.CreateRunAsync(RunBodies.Outgoing().With("displayName", $"w{writer} alpha {i}").With("endDateTime", null));
            var id = (string)created["id"]!;
            states[id] = State.Findable;
            if (i % 3 == 0)
            {
                states[id] = State.Changing;
                using var renamed = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')", $$"""{"displayName":"w{{writer}} omega {{i}}"}""");
                Assert.That(renamed.IsSuccessStatusCode, Is.True, await renamed.Content.ReadAsStringAsync());
                states[id] = State.Gone;
            }
            else if (i % 3 == 1)
            {
                states[id] = State.Changing;
                using var deleted = await Client.DeleteAsync($"runs('{id}')");
                Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
                states[id] = State.Gone;
            }
        }
    }

    /// <summary>Searches until told to stop; each answer checked against what was settled before it was sent. Returns the number of searches.</summary>
    private async Task<int> ReadAsync(ConcurrentDictionary<string, State> states, string query, CancellationToken stop)
    {
        var count = 0;
        while (!stop.IsCancellationRequested || count == 0)
        {
            var findable = states.Where(pair => pair.Value == State.Findable).Select(pair => pair.Key).ToList();
            var gone = states.Where(pair => pair.Value == State.Gone).Select(pair => pair.Key).ToList();
            var url = query.StartsWith("contains", StringComparison.Ordinal) ? "runs?$top=1000&$filter=" + query : "runs?$top=1000&$search=" + query;
            var page = await Client.GetJsonAsync(url);
            var found = page["value"]!.AsArray().Select(run => (string)run!["id"]!).ToHashSet();
            Assert.That(found, Is.SupersetOf(findable), $"{query}: a run whose create was answered is missing");
            Assert.That(found.Intersect(gone), Is.Empty, $"{query}: a run deleted or renamed away was returned");
            count++;
        }

        return count;
    }
}
