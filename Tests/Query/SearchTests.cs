using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// $search (URL Conventions §5.1.7): words, "phrases", NOT, AND, OR, parentheses and the implicit AND, over displayName
/// and blockingError's code and message, case- and diacritic-insensitive; combined with $filter, $orderby, $count and
/// cursor paging like any list. Expected ids are computed here from the names the test gave the runs.
/// </summary>
public sealed class SearchTests : ApiFixture
{
    private static readonly string[] Names =
    [
        "Nightly roster export",       // 0
        "Roster import (weekly)",      // 1
        "Nightly payroll export",      // 2
        "Café inventory sync",         // 3
        "payroll roster reconcile",    // 4
        "Audit NEAR \"quoted\" run",   // 5
        "inventory export",            // 6
        "run-42 retry",                // 7
    ];

    private readonly Dictionary<int, string> ids = [];

    [SetUp]
    public async Task SeedAsync()
    {
        for (var i = 0; i < Names.Length; i++)
        {
            var body = RunBodies.Outgoing().With("displayName", Names[i]).With("endDateTime", null).With("status", i % 2 == 0 ? "failed" : "completed")
                .With("startDateTime", $"2026-03-0{1 + (i % 3)}T0{i}:00:00Z");
            if (i == 6)
            {
                body = body.With("blockingError", new JsonObject { ["code"] = "quotaExceeded", ["message"] = "The warehouse quota was exceeded" });
            }

            ids[i] = (string)(await Client.CreateRunAsync(body))["id"]!;
        }
    }

    private async Task<List<int>> SearchAsync(string query)
    {
        var page = await Client.GetJsonAsync("runs?$search=" + Uri.EscapeDataString(query));
        return Indexes(page);
    }

    private List<int> Indexes(JsonObject page) =>
        [.. page["value"]!.AsArray().Select(run => ids.Single(pair => pair.Value == (string)run!["id"]!).Key).Order()];

    /// <summary>Query, then the runs (by index in <see cref="Names"/>) it must return.</summary>
    private static readonly (string Query, int[] Expected)[] OperatorCases =
    [
        ("roster", [0, 1, 4]),
        ("ROSTER", [0, 1, 4]),
        ("cafe", [3]),
        ("café", [3]),
        ("roster export", [0]),
        ("roster AND export", [0]),
        ("roster OR inventory", [0, 1, 3, 4, 6]),
        ("NOT roster", [2, 3, 5, 6, 7]),
        ("export NOT roster", [2, 6]),
        ("NOT roster export", [2, 6]),
        ("\"nightly roster\"", [0]),
        ("\"roster nightly\"", []),
        ("(roster OR payroll) AND nightly", [0, 2]),
        ("roster OR payroll AND nightly", [0, 1, 2, 4]),
        ("NOT (roster OR inventory)", [2, 5, 7]),
        ("nightly OR NOT export", [0, 1, 2, 3, 4, 5, 7]),
        ("NOT NOT roster", [0, 1, 4]),
        ("rost*", [0, 1, 4]),
        ("'nightly ros'", [0]),
        ("run-42", [7]),
        ("quotaExceeded", [6]),
        ("warehouse", [6]),
        ("weekly", [1]),
        ("near", [5]),
        ("\"NEAR\"", [5]),
        ("\"\\\"quoted\\\"\"", [5]),
        ("'\"'", []),
        ("\"AND\"", []),
        ("absent", []),
        ("!!!", []),
        ("  roster  ", [0, 1, 4]),
    ];

    [Test]
    public async Task Each_operator_matches_what_OData_says()
    {
        foreach (var (query, expected) in OperatorCases)
        {
            Assert.That(await SearchAsync(query), Is.EqualTo(expected), query);
        }
    }

    private static readonly (string Query, string Code)[] MalformedCases =
    [
        ("roster AND", "invalidSearch"),
        ("OR roster", "invalidSearch"),
        ("(roster", "invalidSearch"),
        ("roster)", "invalidSearch"),
        ("\"roster", "invalidSearch"),
        ("\"\"", "invalidSearch"),
        ("NOT", "invalidSearch"),
        ("a;b", "invalidSearch"),
        ("((((((((((((a))))))))))))", "queryTooComplex"),
    ];

    [Test]
    public async Task A_malformed_search_is_a_400_that_says_what_to_fix()
    {
        foreach (var (query, code) in MalformedCases)
        {
            using var response = await Client.GetAsync("runs?$search=" + Uri.EscapeDataString(query));
            var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, code, "$search");
            Assert.That((string?)error["message"], Does.Contain("$search"), query);
        }
    }

    [Test]
    public async Task An_empty_search_is_a_400()
    {
        using var response = await Client.GetAsync("runs?$search=");
        GraphErrorAssert.AssertShape(response, await response.Content.ReadAsStringAsync());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Too_many_terms_is_a_400()
    {
        using var response = await Client.GetAsync("runs?$search=" + string.Join("%20", Enumerable.Range(0, 40).Select(i => $"w{i}")));
        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "queryTooComplex", "$search");
    }

    [TestCase("search")]
    [TestCase("$SEARCH")]
    public async Task The_option_name_is_case_insensitive_and_the_dollar_optional(string name)
    {
        var page = await Client.GetJsonAsync($"runs?{name}=payroll");
        Assert.That(Indexes(page), Is.EqualTo(new[] { 2, 4 }));
    }

    [Test]
    public async Task Search_and_filter_both_apply()
    {
        var page = await Client.GetJsonAsync("runs?$search=roster OR payroll&$filter=status eq 'failed'");
        Assert.That(Indexes(page), Is.EqualTo(new[] { 0, 2, 4 }));
    }

    [Test]
    public async Task Search_with_orderby_count_and_top()
    {
        var page = await Client.GetJsonAsync("runs?$search=roster OR export&$orderby=displayName desc&$count=true&$top=3");
        var names = page["value"]!.AsArray().Select(run => (string)run!["displayName"]!).ToList();
        Assert.Multiple(() =>
        {
            Assert.That((long)page["@odata.count"]!, Is.EqualTo(5));
            Assert.That(names, Is.EqualTo(new[] { Names[4], Names[6], Names[1] }));
        });
    }

    [Test]
    public async Task Search_on_the_count_segment_counts_the_matches()
    {
        using var response = await Client.GetAsync("runs/$count?$search=roster", "text/plain");
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("3"));
    }

    [Test]
    public async Task Search_on_a_type_cast_set()
    {
        await Client.CreateRunAsync(RunBodies.Incoming().With("displayName", "incoming roster"));
        var page = await Client.GetJsonAsync("runs/microsoft.graph.industryData.incomingFlowRun?$search=roster");
        Assert.That(page["value"]!.AsArray().Select(run => (string)run!["displayName"]!), Is.EqualTo(new[] { "incoming roster" }));
    }

    [TestCase("runs?$search=roster&$orderby=startDateTime desc")]
    [TestCase("runs?$search=roster OR export OR inventory")]
    [TestCase("runs?$search=NOT payroll")]
    public async Task A_cursor_walk_returns_each_match_once_in_order(string url)
    {
        var all = await Client.GetJsonAsync(url + "&$top=1000");
        var expected = all["value"]!.AsArray().Select(run => (string)run!["id"]!).ToList();
        var seen = new List<string>();
        for (string? next = url; next is not null;)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.TryAddWithoutValidation("Prefer", "odata.maxpagesize=2");
            using var response = await Client.SendAsync(request);
            var page = await response.ReadJsonAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), page.ToJsonString());
            seen.AddRange(page["value"]!.AsArray().Select(run => (string)run!["id"]!));
            next = (string?)page["@odata.nextLink"];
            Assert.That(next is null || next.Contains("$search=", StringComparison.Ordinal), Is.True, next);
        }

        Assert.That(seen, Is.EqualTo(expected).And.Count.GreaterThan(2));
    }

    [Test]
    public async Task A_cursor_is_tied_to_its_search()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "runs?$search=roster");
        request.Headers.TryAddWithoutValidation("Prefer", "odata.maxpagesize=1");
        using var first = await Client.SendAsync(request);
        var next = (string)(await first.ReadJsonAsync())["@odata.nextLink"]!;
        using var response = await Client.GetAsync(next.Replace("search=roster", "search=payroll", StringComparison.Ordinal));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task A_deleted_run_is_never_found_and_a_renamed_run_only_by_its_new_name()
    {
        using (var deleted = await Client.DeleteAsync($"runs('{ids[0]}')"))
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        using (var renamed = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{ids[1]}')", """{"displayName":"Quarterly ledger"}"""))
        {
            Assert.That(renamed.IsSuccessStatusCode, Is.True);
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await SearchAsync("roster"), Is.EqualTo(new[] { 4 }));
            Assert.That(await SearchAsync("ledger"), Is.EqualTo(new[] { 1 }));
            Assert.That(await SearchAsync("nightly"), Is.EqualTo(new[] { 2 }));
        });
    }

    [Test]
    public async Task A_changed_blocking_error_is_searched_by_its_new_text()
    {
        using (var changed = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{ids[6]}')", """{"blockingError":{"code":"diskFull","message":"No space left"}}"""))
        {
            Assert.That(changed.IsSuccessStatusCode, Is.True);
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await SearchAsync("quotaExceeded OR warehouse"), Is.Empty);
            Assert.That(await SearchAsync("diskFull"), Is.EqualTo(new[] { 6 }));
            Assert.That(await SearchAsync("space"), Is.EqualTo(new[] { 6 }));
        });
    }

    [Test]
    public async Task Search_on_one_run_is_a_400()
    {
        using var response = await Client.GetAsync($"runs('{ids[0]}')?$search=roster");
        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "queryOptionNotApplicable", "$search");
    }

    [Test]
    public async Task Search_on_a_create_is_a_400()
    {
        using var response = await Client.PostJsonAsync("runs?$search=roster", RunBodies.Outgoing());
        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "queryOptionNotApplicable", "$search");
    }

    [Test]
    public async Task Search_given_twice_is_a_400()
    {
        using var response = await Client.GetAsync("runs?$search=roster&search=payroll");
        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "duplicateQueryOption");
    }
}
