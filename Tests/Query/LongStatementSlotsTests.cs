using System.Diagnostics;
using System.Net;
using IndustryData.OData.Service.Querying;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// On SQLite a list statement that has done more than Querying:LongStatementInstructions of work goes on only in one of
/// the few long-statement slots, so queries no index serves take turns on part of the cores instead of starving reads by
/// key and writes. Here a slot is held by the test to make the waiting observable.
/// </summary>
public sealed class LongStatementSlotsTests : ApiFixture
{
    /// <summary>About four million SQLite instructions: long by the threshold below, some tens of milliseconds of work.</summary>
    private const string LongStatement = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT count(*) AS \"Value\" FROM c";
    private const string ShortStatement = "SELECT 42 AS \"Value\"";

    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Querying:LongStatementInstructions"] = "100000",
        ["Querying:LongStatementSlots"] = "1",
    };

    private LongStatementSlots Slots => Host.Services.GetRequiredService<LongStatementSlots>();

    private Task<long> RunAsync(string sql, StatementBudget? budget) =>
        Host.WithDbAsync(async db => (await db.Database.SqlQueryRaw<long>(sql).ToListAsync(budget?.Token ?? CancellationToken.None)).Single());

    [Test]
    public async Task A_long_list_statement_waits_for_a_slot_and_is_stopped_by_its_budget_while_a_short_one_goes_on()
    {
        Assert.That(Slots.Wait(CancellationToken.None), Is.True);
        try
        {
            using (var shortBudget = new StatementBudget(TimeSpan.FromSeconds(5), CancellationToken.None, Slots))
            {
                Assert.That(await RunAsync(ShortStatement, shortBudget), Is.EqualTo(42));
            }

            using var budget = new StatementBudget(TimeSpan.FromMilliseconds(400), CancellationToken.None, Slots);
            var clock = Stopwatch.StartNew();
            var failure = Assert.CatchAsync(() => RunAsync(LongStatement, budget));

            Assert.Multiple(() =>
            {
                Assert.That(failure, Is.TypeOf<SqliteException>().With.Property(nameof(SqliteException.SqliteErrorCode)).EqualTo(9));
                Assert.That(budget.IsExceeded(failure!), Is.True, "a wait past the budget is the budget running out");
                Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(350)));
            });
        }
        finally
        {
            Slots.Release();
        }
    }

    [Test]
    public async Task With_the_slot_free_a_long_statement_completes_and_gives_its_slot_back()
    {
        using (var budget = new StatementBudget(TimeSpan.FromSeconds(30), CancellationToken.None, Slots))
        {
            Assert.That(await RunAsync(LongStatement, budget), Is.EqualTo(300000));
        }

        using var soon = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        Assert.That(Slots.Wait(soon.Token), Is.True, "the slot was released when the statement ended");
        Slots.Release();
    }

    [Test]
    public async Task Long_statements_take_turns_in_one_slot_and_all_complete()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            using var budget = new StatementBudget(TimeSpan.FromSeconds(60), CancellationToken.None, Slots);
            return await RunAsync(LongStatement, budget);
        })));

        Assert.That(results, Is.All.EqualTo(300000));
        using var soon = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        Assert.That(Slots.Wait(soon.Token), Is.True);
        Slots.Release();
    }

    [Test]
    public async Task With_the_queue_full_a_long_statement_is_stopped_at_once_and_answered_503_while_the_waiting_one_completes()
    {
        Assert.That(Slots.Wait(CancellationToken.None), Is.True);
        Task<long> waiting;
        try
        {
            waiting = Task.Run(async () =>
            {
                using var budget = new StatementBudget(TimeSpan.FromSeconds(30), CancellationToken.None, Slots);
                return await RunAsync(LongStatement, budget);
            });
            var clock = Stopwatch.StartNew();
            while (!Slots.OthersWaiting && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(10);
            }

            Assert.That(Slots.OthersWaiting, Is.True, "the first long statement waits for the held slot");
            using var budget = new StatementBudget(TimeSpan.FromSeconds(30), CancellationToken.None, Slots);
            clock.Restart();
            var failure = Assert.CatchAsync(() => RunAsync(LongStatement, budget));
            var answer = budget.TooExpensive("$filter", "advice");

            Assert.Multiple(() =>
            {
                Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "refused at once, not after its budget");
                Assert.That(budget.IsExceeded(failure!), Is.True);
                Assert.That(answer.Status, Is.EqualTo(503));
                Assert.That(answer.Headers["Retry-After"], Is.EqualTo("1"));
            });
        }
        finally
        {
            Slots.Release();
        }

        Assert.That(await waiting, Is.EqualTo(300000));
    }

    [Test]
    public async Task Statements_outside_a_list_never_wait_for_a_slot()
    {
        Assert.That(Slots.Wait(CancellationToken.None), Is.True);
        try
        {
            Assert.That(await RunAsync(LongStatement, budget: null), Is.EqualTo(300000));
        }
        finally
        {
            Slots.Release();
        }
    }

    [Test]
    public async Task A_list_that_would_wait_past_its_budget_is_a_400_while_reads_by_key_and_index_seeks_are_served()
    {
        var created = await Client.CreateRunAsync(RunBodies.Outgoing());
        await Host.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
            INSERT INTO runs (id, displayName, startDateTime, endDateTime, status, blockingError, statistics, version, type, changeSequence)
            SELECT printf('00000000-0000-7000-8000-%012d', i), 'Bulk ' || i, '2026-01-01 00:00:00', NULL, 2, NULL, '{{}}', 1, 'outgoingFlowRun', 0 FROM n
            """));
        using var host = new ServiceHost(Host.Database, new Dictionary<string, string?>(Settings!) { ["Querying:StatementBudget"] = "00:00:01", ["Querying:LongStatementInstructions"] = "20000" });
        using var client = host.CreateAuthorizedClient();
        const string unindexed = "runs?$filter=length(displayName) eq 1&$count=true";
        using (var free = await client.GetAsync(unindexed))
        {
            Assert.That(free.StatusCode, Is.EqualTo(HttpStatusCode.OK), "with its slot free the scan of 20,000 runs is well inside the budget");
        }

        var slots = host.Services.GetRequiredService<LongStatementSlots>();
        Assert.That(slots.Wait(CancellationToken.None), Is.True);
        try
        {
            using var refused = await client.GetAsync(unindexed);
            await refused.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "queryTooExpensive", "$filter");
            using var byKey = await client.GetAsync($"runs('{(string)created["id"]!}')");
            using var seek = await client.GetAsync("runs?$filter=status eq 'completed'&$orderby=startDateTime desc&$top=5");
            Assert.Multiple(() =>
            {
                Assert.That(byKey.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(seek.StatusCode, Is.EqualTo(HttpStatusCode.OK), "an index seek of a few rows is never long");
            });
        }
        finally
        {
            slots.Release();
        }
    }
}
