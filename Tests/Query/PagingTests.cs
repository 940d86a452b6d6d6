using System.Text.Json.Nodes;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Query;

[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class PagingTests(TestProvider provider) : ApiFixture(provider)
{
    private async Task<List<string>> SeedDirectlyAsync(int count)
    {
        var ids = new List<string>();
        await Host.WithDbAsync(async db =>
        {
            for (var i = 0; i < count; i++)
            {
                Run run = i % 2 == 0 ? new OutgoingFlowRun() : new IncomingFlowRun();
                run.Id = Guid.CreateVersion7().ToString();
                run.DisplayName = $"Run {i:D4}";
                run.StartDateTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(i % 17);
                run.Status = (RunStatus)(i % 5);
                db.Runs.Add(run);
                ids.Add(run.Id);
            }

            return await db.SaveChangesAsync();
        });
        return ids;
    }

    private async Task<(List<string> Ids, List<JsonObject> Pages)> FollowAsync(string url, IDictionary<string, string>? headers = null)
    {
        var seen = new List<string>();
        var pages = new List<JsonObject>();
        string? next = url;
        while (next is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await Client.SendAsync(request);
            var page = await response.ReadJsonAsync();
            Assert.That((int)response.StatusCode, Is.EqualTo(200), page.ToJsonString());
            pages.Add(page);
            seen.AddRange(page["value"]!.AsArray().Select(run => (string)run!["id"]!));
            next = (string?)page["@odata.nextLink"];
            Assert.That(pages, Has.Count.LessThan(100), "nextLink loop");
        }

        return (seen, pages);
    }

    [Test]
    public async Task Following_next_links_over_1050_runs_returns_each_exactly_once_in_pages_of_100()
    {
        var ids = await SeedDirectlyAsync(1050);

        var (seen, pages) = await FollowAsync("runs");

        Assert.Multiple(() =>
        {
            Assert.That(seen, Has.Count.EqualTo(1050));
            Assert.That(seen, Is.Unique);
            Assert.That(seen, Is.EquivalentTo(ids));
            Assert.That(pages.Select(p => p["value"]!.AsArray().Count), Is.EqualTo(Enumerable.Repeat(100, 10).Append(50)));
            Assert.That((string?)pages[0]["@odata.nextLink"], Does.StartWith("http://localhost/runs?"));
        });
    }

    [Test]
    public async Task Next_links_keep_filter_order_and_count_and_respect_top()
    {
        await SeedDirectlyAsync(300);

        var (seen, pages) = await FollowAsync("runs?$filter=status%20eq%20%27failed%27&$orderby=startDateTime%20desc,displayName&$count=true&$top=150");
        var expected = await Host.WithDbAsync(db => Task.FromResult(db.Runs
            .Where(r => r.Status == RunStatus.Failed).AsEnumerable()
            .OrderByDescending(r => r.StartDateTime).ThenBy(r => r.DisplayName, StringComparer.Ordinal).Take(150)
            .Select(r => r.Id).ToList()));

        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.EqualTo(expected));
            Assert.That(pages.Select(p => p["value"]!.AsArray().Count), Is.EqualTo(new[] { 60 }));
            Assert.That(pages.Select(p => (int?)p["@odata.count"]), Is.All.EqualTo(60));
        });
    }

    [Test]
    public async Task Top_larger_than_a_page_is_delivered_across_pages()
    {
        var ids = await SeedDirectlyAsync(260);

        var (seen, pages) = await FollowAsync("runs?$top=250&$orderby=displayName");

        Assert.Multiple(() =>
        {
            Assert.That(pages.Select(p => p["value"]!.AsArray().Count), Is.EqualTo(new[] { 100, 100, 50 }));
            Assert.That(seen, Is.EqualTo(ids.Take(250)));
        });
    }

    [Test]
    public async Task Prefer_odata_maxpagesize_is_honoured_and_reported()
    {
        await SeedDirectlyAsync(25);
        using var request = new HttpRequestMessage(HttpMethod.Get, "runs");
        request.Headers.TryAddWithoutValidation("Prefer", "odata.maxpagesize=10");

        using var response = await Client.SendAsync(request);
        var page = await response.ReadJsonAsync();
        var (seen, pages) = await FollowAsync("runs", new Dictionary<string, string> { ["Prefer"] = "odata.maxpagesize=10" });

        Assert.Multiple(() =>
        {
            Assert.That(response.Header("Preference-Applied"), Is.EqualTo("odata.maxpagesize=10"));
            Assert.That(page["value"]!.AsArray(), Has.Count.EqualTo(10));
            Assert.That(pages.Select(p => p["value"]!.AsArray().Count), Is.EqualTo(new[] { 10, 10, 5 }));
            Assert.That(seen, Is.Unique.And.Count.EqualTo(25));
        });
    }
}
