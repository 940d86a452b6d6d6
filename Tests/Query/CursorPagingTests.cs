using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// Server-driven paging is a cursor: a walk returns every run that exists for the whole walk exactly once, in the
/// requested order, whatever others create or delete meanwhile; a cursor that is not the service's own is a 400.
/// </summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class CursorPagingTests(TestProvider provider) : ApiFixture(provider)
{
    private const string OutgoingCast = "microsoft.graph.industryData.outgoingFlowRun";
    private static readonly DateTimeOffset Origin = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Rows with many ties (6 start times, 10 names, 5 statuses) and a null endDateTime on every third.</summary>
    private async Task<List<string>> SeedAsync(int count, Func<int, DateTimeOffset>? start = null)
    {
        var ids = new List<string>();
        await Host.WithDbAsync(async db =>
        {
            for (var i = 0; i < count; i++)
            {
                Run run = i % 2 == 0 ? new OutgoingFlowRun() : new IncomingFlowRun();
                run.Id = Guid.CreateVersion7().ToString();
                run.DisplayName = $"run {(i * 7) % 10}";
                run.StartDateTime = start?.Invoke(i) ?? Origin.AddHours(i % 6);
                run.EndDateTime = i % 3 == 0 ? null : run.StartDateTime.AddMinutes(i % 4);
                run.Status = (RunStatus)(i % 5);
                db.Runs.Add(run);
                ids.Add(run.Id);
            }

            return await db.SaveChangesAsync();
        });
        return ids;
    }

    private async Task<JsonObject> PageAsync(string url, int pageSize)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Prefer", $"odata.maxpagesize={pageSize}");
        using var response = await Client.SendAsync(request);
        var page = await response.ReadJsonAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), page.ToJsonString());
        return page;
    }

    /// <summary>Follows next links to the end, calling <paramref name="betweenPages"/> after each page.</summary>
    private async Task<List<JsonObject>> WalkAsync(string url, int pageSize, Func<List<JsonObject>, Task>? betweenPages = null)
    {
        var seen = new List<JsonObject>();
        for (string? next = url; next is not null;)
        {
            var page = await PageAsync(next, pageSize);
            seen.AddRange(page["value"]!.AsArray().Select(run => run!.AsObject()));
            next = (string?)page["@odata.nextLink"];
            if (next is not null)
            {
                Assert.That(next, Does.Contain("$skiptoken=").And.Not.Contain("$skip="));
                if (betweenPages is not null)
                {
                    await betweenPages(seen);
                }
            }

            Assert.That(seen, Has.Count.LessThan(5000), "next-link loop");
        }

        return seen;
    }

    private static List<string> Ids(IEnumerable<JsonObject> runs) => [.. runs.Select(run => (string)run["id"]!)];

    [TestCase("runs")]
    [TestCase("runs?$orderby=startDateTime desc")]
    [TestCase("runs?$orderby=displayName,startDateTime desc")]
    public async Task A_walk_returns_every_run_that_exists_throughout_exactly_once_while_others_create_and_delete(string url)
    {
        var existing = await SeedAsync(90, i => Origin.AddMinutes(i));
        var deleted = new HashSet<string>();
        var created = 0;

        var seen = await WalkAsync(url, 10, async soFar =>
        {
            // Runs newer than all others (first in startDateTime desc, last by id) and older than all others.
            foreach (var start in new[] { Origin.AddDays(1).AddMinutes(created), Origin.AddDays(-1).AddMinutes(created) })
            {
                var body = RunBodies.Outgoing().With("displayName", $"new {created++:D3}").With("startDateTime", start.ToString("O", CultureInfo.InvariantCulture)).With("endDateTime", null);
                await Client.CreateRunAsync(body);
            }

            // Delete two runs the walk has already returned: with $skip, the next page would start two rows too late.
            foreach (var id in Ids(soFar).Where(id => existing.Contains(id) && !deleted.Contains(id)).Take(2).ToList())
            {
                using var response = await Client.DeleteAsync($"runs('{id}')");
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
                deleted.Add(id);
            }
        });

        var ids = Ids(seen);
        Assert.Multiple(() =>
        {
            Assert.That(ids, Is.Unique, "no run twice");
            Assert.That(existing.Except(deleted), Is.SubsetOf(ids), "every run that existed throughout");
            Assert.That(deleted, Has.Count.GreaterThan(10));
        });
    }

    private static IEnumerable<TestCaseData> Orders()
    {
        string[] orders =
        [
            "runs",
            "runs?$orderby=id desc",
            "runs?$orderby=displayName",
            "runs?$orderby=displayName desc",
            "runs?$orderby=startDateTime desc",
            "runs?$orderby=status",
            "runs?$orderby=status desc,startDateTime",
            "runs?$orderby=endDateTime",
            "runs?$orderby=endDateTime desc",
            "runs?$orderby=endDateTime desc,displayName desc",
            "runs?$orderby=displayName,endDateTime,status desc",
            $"runs?$orderby={OutgoingCast}/endDateTime,displayName",
            $"runs?$orderby={OutgoingCast}/endDateTime desc",
            $"runs/{OutgoingCast}?$orderby=endDateTime desc",
            $"runs/{OutgoingCast}?$orderby={OutgoingCast}/displayName",
            "runs/microsoft.graph.industryData.incomingFlowRun?$orderby=status desc",
            "runs?$filter=status eq 'failed'&$orderby=startDateTime desc",
            "runs?$filter=endDateTime eq null&$orderby=displayName",
            "runs?$filter=startDateTime ge 2026-03-01T02:00:00Z and startDateTime lt 2026-03-01T04:00:00Z",
            "runs?$select=displayName&$orderby=endDateTime&$count=true",
        ];
        return orders.Select(url => new TestCaseData(url).SetArgDisplayNames(url));
    }

    [TestCaseSource(nameof(Orders))]
    public async Task Every_order_pages_through_the_same_rows_in_the_same_order_as_one_unpaged_read(string url)
    {
        await SeedAsync(75);
        var unpaged = Ids((await PageAsync(url, 1000))["value"]!.AsArray().Select(run => run!.AsObject()));

        var walk = await WalkAsync(url, 7);

        Assert.Multiple(() =>
        {
            Assert.That(unpaged, Is.Not.Empty);
            Assert.That(Ids(walk), Is.EqualTo(unpaged));
        });
        if (url.Contains("$select", StringComparison.Ordinal))
        {
            return;
        }

        var keys = SortKeysOf(url);
        for (var i = 1; i < walk.Count; i++)
        {
            Assert.That(Compare(walk[i - 1], walk[i], keys), Is.LessThanOrEqualTo(0),
                $"rows {i - 1} and {i} out of order for {url}: {walk[i - 1].ToJsonString()} then {walk[i].ToJsonString()}");
        }
    }

    [Test]
    public async Task Top_and_the_page_size_hold_across_cursor_pages()
    {
        var ids = await SeedAsync(40);

        var walk = await WalkAsync("runs?$top=25&$count=true", 10);

        Assert.That(Ids(walk), Is.EqualTo(ids.Order(StringComparer.Ordinal).Take(25)));
    }

    [Test]
    public async Task Skip_is_applied_to_the_first_page_and_the_cursor_continues_from_there()
    {
        var ids = await SeedAsync(30);

        var walk = await WalkAsync("runs?$skip=12", 5);

        Assert.That(Ids(walk), Is.EqualTo(ids.Order(StringComparer.Ordinal).Skip(12)));
    }

    private async Task<string> SkipTokenOfAsync(string url)
    {
        var next = (string)(await PageAsync(url, 5))["@odata.nextLink"]!;
        return Uri.UnescapeDataString(next[(next.IndexOf("$skiptoken=", StringComparison.Ordinal) + "$skiptoken=".Length)..].Split('&')[0]);
    }

    [TestCase("runs?$skiptoken=abc")]
    [TestCase("runs?$skiptoken=")]
    [TestCase("runs?$skiptoken=%F0%9F%98%80")]
    [TestCase("runs?$skiptoken=eyJub3QiOiJvdXJzIn0")]
    public async Task A_skiptoken_the_service_did_not_make_is_a_400(string url)
    {
        await SeedAsync(12);

        using var response = await Client.GetAsync(url);

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidSkipToken", "$skiptoken");
    }

    [Test]
    public async Task An_edited_skiptoken_is_a_400()
    {
        await SeedAsync(12);
        var token = await SkipTokenOfAsync("runs?$orderby=displayName");
        var middle = token.Length / 2;
        var edited = token[..middle] + (token[middle] == 'A' ? 'B' : 'A') + token[(middle + 1)..];

        using var response = await Client.GetAsync($"runs?$orderby=displayName&$skiptoken={Uri.EscapeDataString(edited)}");

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidSkipToken", "$skiptoken");
        Assert.That((string)error["message"]!, Does.Contain("@odata.nextLink"));
    }

    [TestCase("runs?$orderby=displayName", "runs?$orderby=displayName desc")]
    [TestCase("runs?$orderby=displayName", "runs?$orderby=startDateTime")]
    [TestCase("runs?$filter=status eq 'failed'", "runs?$filter=status eq 'completed'")]
    [TestCase("runs?$filter=status eq 'failed'", "runs")]
    [TestCase("runs", $"runs/{OutgoingCast}")]
    public async Task A_skiptoken_from_another_query_is_a_400(string from, string to)
    {
        await SeedAsync(40);
        var token = await SkipTokenOfAsync(from);

        using var response = await Client.GetAsync($"{to}{(to.Contains('?', StringComparison.Ordinal) ? '&' : '?')}$skiptoken={Uri.EscapeDataString(token)}");

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidSkipToken", "$skiptoken");
    }

    [Test]
    public async Task Skip_with_a_skiptoken_is_a_400_naming_skip()
    {
        await SeedAsync(12);
        var token = await SkipTokenOfAsync("runs");

        using var response = await Client.GetAsync($"runs?$skip=2&$skiptoken={Uri.EscapeDataString(token)}");

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidQueryOption", "$skip");
    }

    private static List<(string Property, string? Cast, bool Descending)> SortKeysOf(string url)
    {
        var query = url.Contains('?', StringComparison.Ordinal) ? url[(url.IndexOf('?', StringComparison.Ordinal) + 1)..] : string.Empty;
        var orderBy = query.Split('&').FirstOrDefault(part => part.StartsWith("$orderby=", StringComparison.Ordinal))?["$orderby=".Length..];
        var keys = new List<(string, string?, bool)>();
        foreach (var item in orderBy?.Split(',') ?? [])
        {
            var parts = item.Split(' ');
            var path = parts[0].Split('/');
            keys.Add((path[^1], path.Length > 1 ? "#" + path[0] : null, parts.Length > 1 && parts[1] == "desc"));
        }

        if (!keys.Any(key => key.Item1 == "id"))
        {
            keys.Add(("id", null, keys.Count > 0 && keys[^1].Item3));
        }

        return keys;
    }

    /// <summary>OData's order: nulls before every value ascending, after every value descending; enums by member value.</summary>
    private static int Compare(JsonObject left, JsonObject right, List<(string Property, string? Cast, bool Descending)> keys)
    {
        foreach (var (property, cast, descending) in keys)
        {
            var a = ValueOf(left, property, cast);
            var b = ValueOf(right, property, cast);
            var result = (a, b) switch
            {
                (null, null) => 0,
                (null, _) => -1,
                (_, null) => 1,
                _ => a.CompareTo(b),
            };
            if (result != 0)
            {
                return descending ? -result : result;
            }
        }

        return 0;
    }

    private static IComparable? ValueOf(JsonObject run, string property, string? cast)
    {
        if (cast is not null && (string?)run["@odata.type"] != cast)
        {
            return null;
        }

        var node = run[property];
        return node is null ? null : property switch
        {
            "startDateTime" or "endDateTime" => DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture),
            "status" => (int)Enum.Parse<RunStatus>((string)node!, ignoreCase: true),
            _ => new OrdinalString((string)node!),
        };
    }

    private sealed record OrdinalString(string Value) : IComparable
    {
        public int CompareTo(object? obj) => string.CompareOrdinal(Value, ((OrdinalString)obj!).Value);
    }
}
