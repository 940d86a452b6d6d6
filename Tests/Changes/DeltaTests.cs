using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Changes;

/// <summary>Following delta pages and links, and writing between calls.</summary>
public abstract class DeltaFixture(TestProvider provider) : ApiFixture(provider)
{

    /// <summary>Follows links to the end: every entry of every page, and the final delta link.</summary>
    protected async Task<(List<JsonObject> Entries, string DeltaLink, List<JsonObject> Pages)> FollowAsync(string url, int pageSize = 100)
    {
        var entries = new List<JsonObject>();
        var pages = new List<JsonObject>();
        for (var next = url; ;)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.TryAddWithoutValidation("Prefer", $"odata.maxpagesize={pageSize}");
            using var response = await Client.SendAsync(request);
            var page = await response.ReadJsonAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), page.ToJsonString());
            pages.Add(page);
            entries.AddRange(page["value"]!.AsArray().Select(entry => entry!.AsObject()));
            if ((string?)page["@odata.deltaLink"] is { } deltaLink)
            {
                Assert.That(page["@odata.nextLink"], Is.Null, "a page has a next link or a delta link, not both");
                return (entries, deltaLink, pages);
            }

            next = (string?)page["@odata.nextLink"] ?? throw new AssertionException($"page without next or delta link: {page.ToJsonString()}");
            Assert.That(pages, Has.Count.LessThan(10_000), "next-link loop");
        }
    }

    protected static List<string> Ids(IEnumerable<JsonObject> entries, bool removed = false) =>
        [.. entries.Where(entry => entry.ContainsKey("@removed") == removed).Select(entry => (string)entry["id"]!)];

    protected async Task SendAsync(HttpMethod method, string url, string? body)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await Client.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.InRange(200, 299), await response.Content.ReadAsStringAsync());
    }
}

/// <summary>delta(): every run, then exactly what changed since each delta link, deletions as @removed.</summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class DeltaTests(TestProvider provider) : DeltaFixture(provider)
{
    private const string OutgoingCast = "microsoft.graph.industryData.outgoingFlowRun";

    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["ChangeTracking:PruneBatchSize"] = "10",
    };

    [Test]
    public async Task Pruning_goes_in_batches_and_a_link_that_could_miss_a_pruned_deletion_is_410_resync_required()
    {
        var ids = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            ids.Add((string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!);
        }

        await SendAsync(HttpMethod.Delete, $"runs('{ids[0]}')", null);
        var (_, deltaLink, _) = await FollowAsync("runs/delta()");
        foreach (var id in ids.Skip(1))
        {
            await SendAsync(HttpMethod.Delete, $"runs('{id}')", null);
        }

        var pruner = Host.Services.GetRequiredService<IndustryData.OData.Service.Changes.TombstonePruner>();
        var pruned = await pruner.PruneAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);
        using var response = await Client.GetAsync(deltaLink);

        Assert.That(pruned, Is.EqualTo(25));
        Assert.That(await Host.WithDbAsync(db => db.RunTombstones.CountAsync()), Is.Zero);
        await response.AssertGraphErrorAsync(HttpStatusCode.Gone, "resyncRequired", "$deltatoken");
    }

    [Test]
    public async Task The_first_call_pages_through_every_run_and_ends_with_a_delta_link()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((string)(await Client.CreateRunAsync(i % 2 == 0 ? RunBodies.Outgoing() : RunBodies.Incoming()))["id"]!);
        }

        var (entries, deltaLink, pages) = await FollowAsync("runs/delta()", pageSize: 2);

        Assert.Multiple(() =>
        {
            Assert.That(Ids(entries), Is.EquivalentTo(ids));
            Assert.That(pages, Has.Count.EqualTo(3));
            Assert.That((string?)pages[0]["@odata.context"], Is.EqualTo("http://localhost/$metadata#runs/$delta"));
            Assert.That((string?)pages[0]["@odata.nextLink"], Does.StartWith("http://localhost/runs/delta()?$skiptoken="));
            Assert.That(deltaLink, Does.StartWith("http://localhost/runs/delta()?$deltatoken="));
            Assert.That(entries.Select(entry => (string?)entry["@odata.type"]), Is.All.StartsWith("#microsoft.graph.industryData."));
            Assert.That(entries.Select(entry => entry["statistics"]), Is.All.Not.Null);
        });
    }

    [Test]
    public async Task A_delta_link_with_no_change_since_answers_an_empty_page_and_a_new_link()
    {
        await Client.CreateRunAsync(RunBodies.Outgoing());
        var (_, deltaLink, _) = await FollowAsync("runs/delta()");

        var (entries, nextDelta, pages) = await FollowAsync(deltaLink);

        Assert.Multiple(() =>
        {
            Assert.That(entries, Is.Empty);
            Assert.That(pages, Has.Count.EqualTo(1));
            Assert.That(nextDelta, Does.StartWith("http://localhost/runs/delta()?$deltatoken="));
        });
    }

    [Test]
    public async Task Creates_updates_and_deletes_between_calls_come_back_once_each_in_their_current_state()
    {
        var patched = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        var replaced = (string)(await Client.CreateRunAsync(RunBodies.Incoming()))["id"]!;
        var deleted = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        var untouched = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        var (_, deltaLink, _) = await FollowAsync("runs/delta()");

        var created = (string)(await Client.CreateRunAsync(RunBodies.Incoming().With("displayName", "created")))["id"]!;
        var createdThenDeleted = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        await SendAsync(HttpMethod.Patch, $"runs('{patched}')", """{"displayName":"patched once"}""");
        await SendAsync(HttpMethod.Patch, $"runs('{patched}')", """{"displayName":"patched twice"}""");
        await SendAsync(HttpMethod.Put, $"runs('{replaced}')", RunBodies.Incoming().With("displayName", "replaced").ToJsonString());
        await SendAsync(HttpMethod.Delete, $"runs('{deleted}')", null);
        await SendAsync(HttpMethod.Delete, $"runs('{createdThenDeleted}')", null);

        var (entries, nextDelta, _) = await FollowAsync(deltaLink, pageSize: 2);
        var (after, _, _) = await FollowAsync(nextDelta);

        var byId = entries.Where(entry => !entry.ContainsKey("@removed")).ToDictionary(entry => (string)entry["id"]!);
        Assert.Multiple(() =>
        {
            Assert.That(Ids(entries), Is.EquivalentTo(new[] { patched, replaced, created }));
            Assert.That(Ids(entries, removed: true), Is.EquivalentTo(new[] { deleted, createdThenDeleted }));
            Assert.That(Ids(entries).Concat(Ids(entries, removed: true)), Does.Not.Contain(untouched));
            Assert.That((string?)byId[patched]["displayName"], Is.EqualTo("patched twice"));
            Assert.That((string?)byId[replaced]["displayName"], Is.EqualTo("replaced"));
            Assert.That(entries.Where(entry => entry.ContainsKey("@removed")).Select(entry => entry.ToJsonString()),
                Has.All.Match("^\\{\"@odata.type\":\"#microsoft.graph.industryData.(outgoing|incoming)FlowRun\",\"id\":\"[^\"]+\",\"@removed\":\\{\"reason\":\"deleted\"\\}\\}$"));
            Assert.That(after, Is.Empty, "nothing is delivered twice");
        });
    }

    [Test]
    public async Task Delta_on_a_type_cast_returns_only_that_type_and_select_is_kept_in_the_links()
    {
        await Client.CreateRunAsync(RunBodies.Incoming());
        var outgoing = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        await Client.CreateRunAsync(RunBodies.Outgoing());
        var (first, deltaLink, pages) = await FollowAsync($"runs/{OutgoingCast}/delta()?$select=displayName,status", pageSize: 1);
        var incoming = (string)(await Client.CreateRunAsync(RunBodies.Incoming()))["id"]!;
        await SendAsync(HttpMethod.Delete, $"runs('{incoming}')", null);
        await SendAsync(HttpMethod.Delete, $"runs('{outgoing}')", null);
        var newOutgoing = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;

        var (changes, _, _) = await FollowAsync(deltaLink);

        Assert.Multiple(() =>
        {
            Assert.That(first, Has.Count.EqualTo(2));
            Assert.That(first.Select(entry => (string?)entry["@odata.type"]), Is.All.EqualTo("#" + OutgoingCast));
            Assert.That(first.Select(entry => string.Join(",", entry.Select(member => member.Key))),
                Is.All.EqualTo("@odata.type,@odata.etag,id,displayName,status"));
            Assert.That(pages.Select(page => (string?)page["@odata.nextLink"] ?? (string?)page["@odata.deltaLink"]),
                Is.All.Contains("$select=displayName%2Cstatus&").And.All.Contains($"/runs/{OutgoingCast}/delta()?"));
            Assert.That((string?)pages[0]["@odata.context"], Is.EqualTo($"http://localhost/$metadata#runs/{OutgoingCast}(displayName,status)/$delta"));
            Assert.That(Ids(changes), Is.EqualTo(new[] { newOutgoing }));
            Assert.That(Ids(changes, removed: true), Is.EqualTo(new[] { outgoing }));
        });
    }

    [Test]
    public async Task Prefer_track_changes_on_the_list_answers_delta_with_preference_applied()
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        using var request = new HttpRequestMessage(HttpMethod.Get, "runs");
        request.Headers.TryAddWithoutValidation("Prefer", "odata.track-changes");

        using var response = await Client.SendAsync(request);
        var page = await response.ReadJsonAsync();
        await SendAsync(HttpMethod.Patch, $"runs('{id}')", """{"status":"failed"}""");
        var (changes, _, _) = await FollowAsync((string)page["@odata.deltaLink"]!);

        Assert.Multiple(() =>
        {
            Assert.That(response.Header("Preference-Applied"), Is.EqualTo("odata.track-changes"));
            Assert.That(Ids(page["value"]!.AsArray().Select(entry => entry!.AsObject())), Is.EqualTo(new[] { id }));
            Assert.That((string?)page["@odata.deltaLink"], Does.StartWith("http://localhost/runs/delta()?$deltatoken="));
            Assert.That(changes.Select(entry => (string?)entry["status"]), Is.EqualTo(new[] { "failed" }));
        });
    }

    [TestCase("runs/delta()?$deltatoken=abc", "$deltatoken")]
    [TestCase("runs/delta()?$skiptoken=abc", "$skiptoken")]
    [TestCase("runs/delta()?$deltatoken=", "$deltatoken")]
    public async Task A_token_the_service_did_not_make_is_a_400(string url, string target)
    {
        using var response = await Client.GetAsync(url);

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidDeltaToken", target);
    }

    [Test]
    public async Task An_edited_token_or_one_from_another_set_is_a_400()
    {
        await Client.CreateRunAsync(RunBodies.Outgoing());
        var (_, deltaLink, _) = await FollowAsync($"runs/{OutgoingCast}/delta()");
        var token = Uri.UnescapeDataString(deltaLink[(deltaLink.IndexOf("$deltatoken=", StringComparison.Ordinal) + "$deltatoken=".Length)..]);
        var edited = token[..^3] + (token[^3] == 'A' ? 'B' : 'A') + token[^2..];

        using var foreign = await Client.GetAsync($"runs/delta()?$deltatoken={Uri.EscapeDataString(token)}");
        using var tampered = await Client.GetAsync($"runs/{OutgoingCast}/delta()?$deltatoken={Uri.EscapeDataString(edited)}");

        await foreign.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidDeltaToken", "$deltatoken");
        await tampered.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidDeltaToken", "$deltatoken");
    }

    [TestCase("runs/delta()?$filter=status eq 'failed'", "$filter")]
    [TestCase("runs/delta()?$orderby=displayName", "$orderby")]
    [TestCase("runs/delta()?$top=5", "$top")]
    [TestCase("runs/delta()?$select=nope", "$select")]
    public async Task Options_delta_does_not_take_are_a_400_that_says_what_it_does_take(string url, string target)
    {
        using var response = await Client.GetAsync(url);

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, target == "$select" ? "invalidQueryOption" : "queryOptionNotSupportedOnDelta", target);
        Assert.That((string?)error["message"], Does.Contain(target == "$select" ? "Select from" : "$select"));
    }
}

/// <summary>Delta links do not outlive what the service remembers: expired or pruned → 410, start over.</summary>
public class DeltaRetentionTests() : DeltaFixture(TestProvider.Sqlite)
{
    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["ChangeTracking:TombstoneRetention"] = "00:00:01",
    };

    [Test]
    public async Task A_delta_link_older_than_the_retention_is_410_sync_state_not_found()
    {
        var (_, deltaLink, _) = await FollowAsync("runs/delta()");
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        using var response = await Client.GetAsync(deltaLink);

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.Gone, "syncStateNotFound", "$deltatoken");
        Assert.That((string?)error["message"], Does.Contain("runs/delta()"));
    }
}
