using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace IndustryData.OData.Tests.Storage;

/// <summary>
/// Every documented list shape is a seek or an ordered index walk on SQLite, never a scan of the table or a sort of all
/// the rows that match: the SQL the service sends for each request (first page and cursor page) is explained with
/// EXPLAIN QUERY PLAN on the test database. The plans do not depend on the table's size (no ANALYZE statistics).
/// </summary>
public sealed class QueryPlanTests : ApiFixture
{
    private const string Outgoing = "microsoft.graph.industryData.outgoingFlowRun";
    private readonly SqlCommandLog sql = new();

    /// <summary>
    /// EF Core's SQL for every shape: on SQLite the by-key read and the plain first pages are direct reads (their own
    /// plans: SqliteRunReadsTests), but EF Core still sends these shapes on SQL Server and inside a change set.
    /// </summary>
    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["Storage:DirectReads"] = "false" };

    protected override void ConfigureLogging(ILoggingBuilder logging) => SqlCommandLog.AddTo(logging, sql);

    /// <summary>Shape, then the plan each page's query must have (a regex over the plan's lines).</summary>
    private static IEnumerable<TestCaseData> Shapes()
    {
        (string Url, string Plan)[] shapes =
        [
            ("runs?$top=50", @"^(SCAN r USING INDEX sqlite_autoindex_runs_1|SEARCH r USING INDEX sqlite_autoindex_runs_1 \(id>\?\))$"),
            ("runs?$compute=length(displayName) as n&$select=id,n&$top=50", @"^(SCAN r USING INDEX sqlite_autoindex_runs_1|SEARCH r USING INDEX sqlite_autoindex_runs_1 \(id>\?\))$"),
            ("runs?$filter=status eq 'completed'&$top=50", @"^SEARCH r USING INDEX IX_runs_status_id \(status=\?( AND id>\?)?\)$"),
            ($"runs/{Outgoing}?$filter=status eq 'completed'&$top=50", @"^SEARCH r USING INDEX IX_runs_(status|type)_id \((status|type)=\?( AND id>\?)?\)$"),
            ($"runs/{Outgoing}", @"^SEARCH r USING INDEX IX_runs_type_id \(type=\?( AND id>\?)?\)$"),
            ($"runs?$filter=isof('{Outgoing}')", @"^SEARCH r USING INDEX IX_runs_type_id \(type=\?( AND id>\?)?\)$"),
            ("runs?$filter=status eq 'failed'&$orderby=startDateTime desc&$top=50",
                @"^SEARCH r USING INDEX IX_runs_status_startDateTime_id \(status=\?( AND startDateTime<\?)?\)$"),
            ("runs?$orderby=startDateTime desc", @"^(SCAN r USING INDEX IX_runs_startDateTime_id|SEARCH r USING INDEX IX_runs_startDateTime_id \(startDateTime<\?\))$"),
            ("runs?$orderby=startDateTime", @"^(SCAN r USING INDEX IX_runs_startDateTime_id|SEARCH r USING INDEX IX_runs_startDateTime_id \(startDateTime>\?\))$"),
            ("runs?$orderby=displayName", @"^(SCAN r USING INDEX IX_runs_displayName_id|SEARCH r USING INDEX IX_runs_displayName_id \(displayName>\?\))$"),
            ("runs?$filter=startswith(displayName,'run 1')&$orderby=displayName", @"^SEARCH r USING INDEX IX_runs_displayName_id \(displayName>\?\)$"),
            ("runs?$orderby=status desc", @"^(SCAN r USING INDEX IX_runs_status_id|SEARCH r USING INDEX IX_runs_status_id \(status<\?\))$"),
            ("runs?$orderby=endDateTime desc", @"^(SCAN r USING INDEX IX_runs_endDateTime_id|SEARCH r USING INDEX IX_runs_endDateTime_id \(endDateTime(<\?|=\?)\))$"),
            ("runs?$filter=endDateTime eq null", @"^SEARCH r USING INDEX IX_runs_endDateTime_id \(endDateTime=\?( AND id>\?)?\)$"),
            ("runs?$filter=status eq 'failed'&$count=true", @"^SEARCH r USING (COVERING )?INDEX IX_runs_status_\w+ \(status=\?( AND id>\?)?\)$"),
            ("runs/$count", @"^SCAN runs USING COVERING INDEX \w+$"),
            // $apply (Data Aggregation): the groups come in index order, counted as the index is walked. (With $count=true the
            // window COUNT(*) OVER () sorts the groups, never the rows: docs/aggregation.md.)
            ("runs?$apply=groupby((status),aggregate($count as n))", @"^SCAN r USING COVERING INDEX IX_runs_status_(startDateTime_)?id$"),
        ];
        return shapes.Select(shape => new TestCaseData(shape.Url, shape.Plan).SetArgDisplayNames(shape.Url));
    }

    [TestCaseSource(nameof(Shapes))]
    public async Task Each_page_of_a_list_shape_is_served_by_an_index_without_a_sort(string url, string plan)
    {
        await SeedAsync();

        var plans = await PlansOfWalkAsync(url, pages: 2);

        Assert.Multiple(() =>
        {
            Assert.That(plans, Is.Not.Empty);
            foreach (var (query, lines) in plans)
            {
                var runsLines = lines.Where(line => line.StartsWith("SCAN", StringComparison.Ordinal) || line.StartsWith("SEARCH", StringComparison.Ordinal)).ToList();
                Assert.That(lines, Has.None.Contains("TEMP B-TREE"), $"{url}: no sort of the matching rows\n{query}\n{string.Join("\n", lines)}");
                Assert.That(runsLines, Has.Count.EqualTo(1).And.All.Match(plan), $"{url}\n{query}\n{string.Join("\n", lines)}");
            }
        });
    }

    /// <summary>
    /// A startDateTime range in the default order (by id): the range is a seek, and only the rows inside it are sorted
    /// by id; the cost follows the range's size, not the table's (docs/scale.md). Past a cursor SQLite may instead walk
    /// the status index in id order and test the range on each row.
    /// </summary>
    [TestCase("runs?$filter=startDateTime ge 2026-03-01T02:00:00Z and startDateTime lt 2026-03-01T03:00:00Z")]
    [TestCase("runs?$filter=status eq 'failed' and startDateTime ge 2026-03-01T02:00:00Z")]
    [TestCase("runs?$filter=date(startDateTime) eq 2026-03-01")]
    [TestCase("runs?$filter=year(startDateTime) eq 2026 and month(startDateTime) eq 3")]
    [TestCase("runs?$filter=status eq 'failed' and year(startDateTime) eq 2026")]
    public async Task A_date_range_seeks_the_range_and_sorts_only_its_rows(string url)
    {
        await SeedAsync();

        var plans = await PlansOfWalkAsync(url, pages: 2);

        Assert.That(plans.SelectMany(plan => plan.Plan).Where(line => line.StartsWith("SCAN", StringComparison.Ordinal) || line.StartsWith("SEARCH", StringComparison.Ordinal)),
            Is.Not.Empty.And.All.Match(@"^SEARCH r USING INDEX (IX_runs_(status_)?startDateTime_id \((status=\? AND )?startDateTime>\?( AND startDateTime<\?)?\)|IX_runs_status_id \(status=\? AND id>\?\))$"),
            string.Join("\n", plans.SelectMany(plan => plan.Plan)));
    }

    /// <summary>
    /// A member of statistics (read with json_type/json_extract, which no index serves) with a startDateTime range: the
    /// range is the seek, the JSON test runs only on the day's rows. Bound to a value, not null: SQLite sees a JSON
    /// comparison with null as never true and then plans any index walk. Past a cursor, an open-ended range (ge alone)
    /// may instead be walked in id order from the cursor, as for a date range alone; a day (ge and lt) stays a seek.
    /// </summary>
    [TestCase("runs?$filter=statistics/recordsFailed gt 0 and startDateTime ge 2026-03-01T02:00:00Z", 1)]
    [TestCase("runs?$filter=statistics/recordsFailed gt 0 and startDateTime ge 2026-03-01T00:00:00Z and startDateTime lt 2026-03-02T00:00:00Z", 2)]
    [TestCase("runs?$filter=statistics/recordsFailed gt 0 and date(startDateTime) eq 2026-03-01", 2)]
    public async Task A_json_member_with_a_date_range_seeks_the_range(string url, int pages)
    {
        await SeedAsync();

        var plans = await PlansOfWalkAsync(url, pages, bind: 1);

        Assert.That(plans.SelectMany(plan => plan.Plan).Where(line => line.StartsWith("SCAN", StringComparison.Ordinal) || line.StartsWith("SEARCH", StringComparison.Ordinal)),
            Is.Not.Empty.And.All.Match(@"^SEARCH r USING INDEX IX_runs_startDateTime_id \(startDateTime>\?( AND startDateTime<\?)?\)$"),
            string.Join("\n", plans.SelectMany(plan => plan.Plan.Prepend(plan.Query))));
    }

    /// <summary>
    /// date(), year() and year()+month()+day() against literals, and a date-time property against a Date literal, are
    /// ranges of the bare column (<c>DateRangePredicates</c>): ordered by startDateTime, a seek with no sort at all.
    /// </summary>
    [TestCase("runs?$filter=date(startDateTime) eq 2026-03-01&$orderby=startDateTime")]
    [TestCase("runs?$filter=date(startDateTime) ge 2026-03-01&$orderby=startDateTime desc")]
    [TestCase("runs?$filter=date(startDateTime) lt 2026-03-02&$orderby=startDateTime")]
    [TestCase("runs?$filter=year(startDateTime) eq 2026&$orderby=startDateTime desc")]
    [TestCase("runs?$filter=year(startDateTime) eq 2026 and month(startDateTime) eq 3 and day(startDateTime) eq 1&$orderby=startDateTime")]
    [TestCase("runs?$filter=startDateTime ge 2026-03-01&$orderby=startDateTime")]
    [TestCase("runs?$filter=status eq 'failed' and date(startDateTime) eq 2026-03-01&$orderby=startDateTime desc")]
    [TestCase("runs?$filter=status eq 'failed' and year(startDateTime) eq 2026 and month(startDateTime) eq 3&$orderby=startDateTime")]
    public async Task Date_functions_against_literals_seek_a_date_time_index_without_a_sort(string url)
    {
        await SeedAsync();

        var plans = await PlansOfWalkAsync(url, pages: 2);

        Assert.Multiple(() =>
        {
            Assert.That(plans, Is.Not.Empty);
            foreach (var (query, lines) in plans)
            {
                var runsLines = lines.Where(line => line.StartsWith("SCAN", StringComparison.Ordinal) || line.StartsWith("SEARCH", StringComparison.Ordinal)).ToList();
                Assert.That(lines, Has.None.Contains("TEMP B-TREE"), $"{url}: no sort of the matching rows\n{query}\n{string.Join("\n", lines)}");
                Assert.That(runsLines, Has.Count.EqualTo(1).And.All.Match(@"^SEARCH r USING INDEX IX_runs_(status_)?startDateTime_id \((status=\? AND )?startDateTime[<>=]\?.*\)$"),
                    $"{url}\n{query}\n{string.Join("\n", lines)}");
            }
        });
    }

    [Test]
    public async Task By_key_is_a_primary_key_seek()
    {
        var ids = await SeedAsync();

        var plans = await PlansOfWalkAsync($"runs('{ids[0]}')", pages: 1);

        Assert.That(plans.Single().Plan, Is.EqualTo(new[] { "SEARCH r USING INDEX sqlite_autoindex_runs_1 (id=?)" }));
    }

    [Test]
    public async Task The_migrated_sqlite_database_has_every_list_index()
    {
        var indexes = new Dictionary<string, string[]>();
        await using var connection = new SqliteConnection(Host.Database.ConnectionString);
        await connection.OpenAsync();
        await Host.CountRunsAsync();
        foreach (var name in ListIndexes.Expected.Keys)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT name FROM pragma_index_info('{name}') ORDER BY seqno";
            var columns = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(0));
            }

            indexes[name] = [.. columns];
        }

        Assert.That(indexes, Is.EquivalentTo(ListIndexes.Expected));
    }

    private async Task<List<string>> SeedAsync()
    {
        var ids = new List<string>();
        await Host.WithDbAsync(async db =>
        {
            for (var i = 0; i < 30; i++)
            {
                Run run = i % 2 == 0 ? new OutgoingFlowRun() : new IncomingFlowRun();
                run.Id = Guid.CreateVersion7().ToString();
                run.DisplayName = $"run {i % 10}";
                run.StartDateTime = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero).AddHours(i % 7);
                run.EndDateTime = i % 3 == 0 ? null : run.StartDateTime.AddHours(1);
                run.Status = (RunStatus)(i % 5);
                run.Statistics.OpenMembers["recordsFailed"] = System.Text.Json.JsonElement.Parse((i % 4).ToString(System.Globalization.CultureInfo.InvariantCulture));
                db.Runs.Add(run);
                ids.Add(run.Id);
            }

            return await db.SaveChangesAsync();
        });
        return ids;
    }

    /// <summary>The SQL of each query on runs that the first <paramref name="pages"/> pages sent, with its plan.</summary>
    private async Task<List<(string Query, List<string> Plan)>> PlansOfWalkAsync(string url, int pages, object? bind = null)
    {
        sql.Drain();
        var queries = new List<string>();
        string? next = url;
        for (var page = 0; page < pages && next is not null; page++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.TryAddWithoutValidation("Accept", "*/*"); // a page is JSON, runs/$count text/plain
            request.Headers.TryAddWithoutValidation("Prefer", "odata.maxpagesize=2");
            using var response = await Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.That((int)response.StatusCode, Is.EqualTo(200), text);
            next = text.StartsWith('{') ? (string?)JsonNode.Parse(text)!["@odata.nextLink"] : null;
            queries.AddRange(sql.Drain().Where(query => query.Contains("FROM \"runs\"", StringComparison.Ordinal)));
        }

        Assert.That(pages == 1 || next is null || queries.Count >= pages, $"{url} sent no query for a page");
        var plans = new List<(string, List<string>)>();
        await using var connection = new SqliteConnection(Host.Database.ConnectionString);
        await connection.OpenAsync();
        foreach (var query in queries.Distinct())
        {
            plans.Add((query, await SqlitePlan.ExplainAsync(connection, query, bind)));
        }

        return plans;
    }
}
