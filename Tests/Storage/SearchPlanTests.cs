using System.Text.Json.Nodes;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace IndustryData.OData.Tests.Storage;

/// <summary>
/// $search and contains/endswith on displayName read SQLite's FTS5 indexes (runs_search, runs_names), never the whole
/// runs table: the SQL each page sends (first page and a cursor page) is explained on the test database. The runs are
/// then sought by key in the IN list's order, so the default order (by id, either direction) needs no sort of the matches.
/// </summary>
public sealed class SearchPlanTests : ApiFixture
{
    private readonly SqlCommandLog sql = new();

    protected override void ConfigureLogging(ILoggingBuilder logging) => SqlCommandLog.AddTo(logging, sql);

    [TestCase("runs?$search=roster", true)]
    [TestCase("runs?$search=roster export", true)]
    [TestCase("runs?$search=roster OR payroll NOT export", true)]
    [TestCase("runs?$search=\"nightly roster\"&$orderby=id desc", true)]
    [TestCase("runs?$search=roster&$filter=status eq 'failed'", true)]
    [TestCase("runs?$search=roster&$count=true", true)]
    [TestCase("runs/microsoft.graph.industryData.outgoingFlowRun?$search=roster", true)]
    [TestCase("runs?$filter=contains(displayName,'oster')", true)]
    [TestCase("runs?$filter=endswith(displayName,'port')", true)]
    [TestCase("runs?$filter=contains(displayName,'oster') and status eq 'failed'", true)]
    [TestCase("runs?$search=roster&$orderby=startDateTime desc", false)]
    [TestCase("runs?$filter=contains(displayName,'oster')&$orderby=displayName", false)]
    public async Task Each_page_reads_the_full_text_index_and_seeks_runs_by_key(string url, bool inKeyOrder)
    {
        await SeedAsync();

        var plans = await PlansOfWalkAsync(url, pages: 2);

        Assert.Multiple(() =>
        {
            Assert.That(plans, Has.Count.GreaterThanOrEqualTo(2), url);
            foreach (var (query, lines) in plans)
            {
                var shown = $"{url}\n{query}\n{string.Join("\n", lines)}";
                Assert.That(lines, Has.Some.Match(@"^SCAN \w+ VIRTUAL TABLE INDEX \d+:"), "the FTS5 index answers the match\n" + shown);
                Assert.That(lines, Has.None.Match(@"^SCAN r\b"), "no scan of runs\n" + shown);
                Assert.That(lines.Where(line => line.StartsWith("SEARCH r ", StringComparison.Ordinal)),
                    Is.Not.Empty.And.All.Match(@"^SEARCH r USING (COVERING )?INDEX (sqlite_autoindex_runs_1|IX_runs_status_id|IX_runs_type_id) \((status=\? AND |type=\? AND )?id=\?\)$"), shown);
                if (inKeyOrder)
                {
                    Assert.That(lines, Has.None.Contains("TEMP B-TREE"), "no sort of the matches\n" + shown);
                }
            }
        });
    }

    [Test]
    public async Task A_contains_literal_shorter_than_a_trigram_keeps_the_plain_predicate()
    {
        await SeedAsync();

        var plans = await PlansOfWalkAsync("runs?$filter=contains(displayName,'os')", pages: 1);

        Assert.That(plans.SelectMany(plan => plan.Plan), Has.None.Contains("VIRTUAL TABLE"));
    }

    private async Task SeedAsync()
    {
        string[] names = ["Nightly roster export", "Roster import", "Nightly payroll export", "inventory sync", "payroll roster reconcile"];
        await Host.WithDbAsync(async db =>
        {
            for (var i = 0; i < 40; i++)
            {
                Run run = i % 2 == 0 ? new OutgoingFlowRun() : new IncomingFlowRun();
                run.Id = Guid.CreateVersion7().ToString();
                run.DisplayName = $"{i} {names[i % names.Length]}";
                run.StartDateTime = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero).AddHours(i % 7);
                run.Status = (RunStatus)(i % 5);
                db.Runs.Add(run);
            }

            return await db.SaveChangesAsync();
        });
    }

    /// <summary>The SQL of each query on runs that the first <paramref name="pages"/> pages sent, with its plan.</summary>
    private async Task<List<(string Query, List<string> Plan)>> PlansOfWalkAsync(string url, int pages)
    {
        sql.Drain();
        var queries = new List<string>();
        string? next = url;
        for (var page = 0; page < pages && next is not null; page++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.TryAddWithoutValidation("Prefer", "odata.maxpagesize=2");
            using var response = await Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.That((int)response.StatusCode, Is.EqualTo(200), text);
            next = (string?)JsonNode.Parse(text)!["@odata.nextLink"];
            queries.AddRange(sql.Drain().Where(query => query.Contains("FROM \"runs\"", StringComparison.Ordinal)));
        }

        var plans = new List<(string, List<string>)>();
        await using var connection = new SqliteConnection(Host.Database.ConnectionString);
        await connection.OpenAsync();
        foreach (var query in queries.Distinct())
        {
            plans.Add((query, await SqlitePlan.ExplainAsync(connection, query)));
        }

        return plans;
    }
}
