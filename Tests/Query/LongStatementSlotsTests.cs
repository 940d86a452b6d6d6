using System.Diagnostics;
using System.Net;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Querying;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// On SQLite a list whose statement has done more than Querying:LongStatementInstructions of work goes on only in one of
/// the few long-statement slots: otherwise it is stopped, waits for a slot without a thread (within its budget, then 503)
/// and runs again, so queries no index serves run a few at a time instead of starving reads by key and writes. Here a
/// slot is held by the test to make the waiting observable.
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

    /// <summary>One statement as a list runs it: within the budget, through <see cref="StatementBudget.RunAsync{TResult}"/>.</summary>
    private Task<long> RunAsync(string sql, StatementBudget budget) =>
        Host.WithDbAsync(db => budget.RunAsync(async token => (await db.Database.SqlQueryRaw<long>(sql).ToListAsync(token)).Single()));

    [Test]
    public async Task A_long_list_waits_for_a_slot_without_a_thread_and_is_a_503_past_its_budget_while_a_short_one_goes_on()
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
            var failure = Assert.CatchAsync<ApiException>(() => RunAsync(LongStatement, budget));

            Assert.Multiple(() =>
            {
                Assert.That(failure!.Status, Is.EqualTo(503));
                Assert.That(failure.InnerCode, Is.EqualTo("expensiveQueriesBusy"));
                Assert.That(failure.Headers["Retry-After"], Is.EqualTo("1"));
                Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(350)));
            });
        }
        finally
        {
            Slots.Release();
        }
    }

    [Test]
    public async Task With_the_slot_free_a_long_list_completes_and_gives_its_slot_back()
    {
        using (var budget = new StatementBudget(TimeSpan.FromSeconds(30), CancellationToken.None, Slots))
        {
            Assert.That(await RunAsync(LongStatement, budget), Is.EqualTo(300000));
        }

        Assert.That(Slots.TryEnter(), Is.True, "the slot was released when the list ended");
        Slots.Release();
    }

    [Test]
    public async Task A_waiting_list_runs_again_once_the_slot_is_free_and_long_lists_run_one_at_a_time()
    {
        Assert.That(Slots.Wait(CancellationToken.None), Is.True);
        var waiting = Task.Run(async () =>
        {
            using var budget = new StatementBudget(TimeSpan.FromSeconds(30), CancellationToken.None, Slots);
            return await RunAsync(LongStatement, budget);
        });
        await Task.Delay(300);
        Assert.That(waiting.IsCompleted, Is.False, "a long list waits while the slot is held");
        Slots.Release();

        var results = await Task.WhenAll(waiting, Task.Run(async () =>
        {
            using var budget = new StatementBudget(TimeSpan.FromSeconds(30), CancellationToken.None, Slots);
            return await RunAsync(LongStatement, budget);
        }));

        Assert.That(results, Is.All.EqualTo(300000));
        Assert.That(Slots.TryEnter(), Is.True);
        Slots.Release();
    }

    [Test]
    public async Task Statements_outside_a_list_never_wait_for_a_slot()
    {
        Assert.That(Slots.Wait(CancellationToken.None), Is.True);
        try
        {
            var count = await Host.WithDbAsync(async db => (await db.Database.SqlQueryRaw<long>(LongStatement).ToListAsync()).Single());
            Assert.That(count, Is.EqualTo(300000));
        }
        finally
        {
            Slots.Release();
        }
    }

    [Test]
    public async Task A_list_that_waits_past_its_budget_for_a_slot_is_a_503_while_reads_by_key_and_index_seeks_are_served()
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
            await refused.AssertGraphErrorAsync(HttpStatusCode.ServiceUnavailable, "expensiveQueriesBusy");
            Assert.That(refused.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
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
