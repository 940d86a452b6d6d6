using System.Net;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// Every list runs within the statement budget (Querying:StatementBudget): past it the statement is stopped and the
/// caller gets 400 queryTooExpensive naming the conditions an index serves. Here the budget is configured tiny.
/// </summary>
public sealed class StatementBudgetTests : ApiFixture
{
    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Querying:StatementBudget"] = "00:00:00.0000001",
    };

    [TestCase("runs?$filter=contains(displayName,'zz')", "$filter", "at least 3 characters")]
    [TestCase("runs?$filter=length(displayName) gt 3&$count=true", "$filter", "startDateTime")]
    [TestCase("runs/$count?$filter=length(displayName) gt 3", "$filter", "status eq")]
    [TestCase("runs?$search=NOT roster", "$search", "startDateTime")]
    [TestCase("runs?$apply=groupby((status),aggregate($count as n))", "$apply", "startDateTime")]
    [TestCase("runs/$count?$apply=groupby((status))", "$apply", "startDateTime")]
    public async Task A_query_past_the_budget_is_a_400_that_names_a_cheap_filter(string url, string target, string named)
    {
        await Client.CreateRunAsync(RunBodies.Outgoing());

        using var response = await Client.GetAsync(url, "text/plain, application/json");

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "queryTooExpensive", target);
        Assert.That((string?)error["message"], Does.Contain("statement budget").And.Contain(named));
    }

    [Test]
    public async Task The_connection_is_usable_after_a_query_past_the_budget()
    {
        await Client.CreateRunAsync(RunBodies.Outgoing());
        using (var expensive = await Client.GetAsync("runs?$filter=contains(displayName,'zz')"))
        {
            Assert.That(expensive.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        }

        // Reads by key and writes are not lists: no budget, and nothing was left held.
        var created = await Client.CreateRunAsync(RunBodies.Outgoing());
        var read = await Client.GetJsonAsync($"runs('{(string)created["id"]!}')");
        Assert.That((string?)read["id"], Is.EqualTo((string?)created["id"]));
    }
}

/// <summary>
/// The mechanism under the budget: a running SQLite statement is interrupted when its cancellation token fires
/// (Microsoft.Data.Sqlite alone checks the token only before it starts).
/// </summary>
public sealed class SqliteStatementInterruptTests : ApiFixture
{
    [Test]
    public async Task A_running_statement_stops_when_its_token_is_cancelled()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var started = System.Diagnostics.Stopwatch.StartNew();

        var failure = Assert.CatchAsync(async () => await Host.WithDbAsync(db =>
            db.Database.SqlQueryRaw<long>("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) AS \"Value\" FROM c")
                .ToListAsync(cancel.Token)));

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.TypeOf<SqliteException>().With.Property(nameof(SqliteException.SqliteErrorCode)).EqualTo(9));
            Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        });
    }
}
