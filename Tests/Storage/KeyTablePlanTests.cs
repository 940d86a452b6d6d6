using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Idempotency;
using IndustryData.OData.Service.Storage;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Tests.Storage;

/// <summary>
/// The idempotency-key statements on SQLite, as the service sends them (captured from its own code before they run),
/// explained with EXPLAIN QUERY PLAN on a migrated database: look-ups seek the key's primary key, pruning seeks the
/// createdAt index, the group commit's multi-row inserts read nothing, and nothing scans or sorts, whatever the size.
/// </summary>
public sealed class KeyTablePlanTests : ApiFixture
{
    [Test]
    public async Task The_group_commits_look_up_of_used_keys_seeks_the_primary_key()
    {
        var plan = await PlanOfAsync(db => RunInsertQueue.KeysInUseAsync(db, [new string('A', 64), new string('B', 64)]));

        Assert.That(plan, Is.Not.Empty.And.All.Match(@"^SEARCH \w+ USING (COVERING )?INDEX sqlite_autoindex_idempotencyKeys_1 \(keyHash=\?\)$"));
    }

    [Test]
    public async Task Pruning_seeks_the_oldest_keys_through_the_createdAt_index()
    {
        var plan = await PlanOfAsync(db => IdempotencyKeyPruner.DeleteExpiredAsync(db, DateTime.UtcNow, 1000, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(plan, Has.Some.Match(@"^SEARCH \w+ USING (COVERING )?INDEX IX_idempotencyKeys_createdAt \(createdAt<\?\)$"), string.Join("\n", plan));
            Assert.That(plan, Has.None.Match("^SCAN").And.None.Contains("TEMP B-TREE"), string.Join("\n", plan));
        });
    }

    [Test]
    public async Task The_group_commits_inserts_read_nothing()
    {
        var records = Enumerable.Range(0, 3).Select(index => new IdempotencyRecord
        {
            KeyHash = new string((char)('A' + index), 64), RequestHash = new string('0', 64), RunId = Guid.CreateVersion7().ToString(), CreatedAt = DateTime.UtcNow,
        }).ToList();

        var runs = records.Select(record => (Run)new OutgoingFlowRun { Id = record.RunId, DisplayName = "run", Statistics = new RunStatistics() }).ToList();

        var keysPlan = await PlanOfAsync(db => MultiRowInsert.InsertAsync(db, records, CancellationToken.None));
        var runsPlan = await PlanOfAsync(db => MultiRowInsert.InsertAsync(db, runs, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(keysPlan, Is.Not.Empty.And.All.Match(@"^SCAN (3 CONSTANT ROWS|3-ROW VALUES CLAUSE)$"));
            Assert.That(runsPlan, Is.Not.Empty.And.All.Match(@"^SCAN (3 CONSTANT ROWS|3-ROW VALUES CLAUSE)$"));
        });
    }

    private Task<List<string>> PlanOfAsync(Func<RunsDbContext, Task> send) => SqlitePlan.OfAsync(Host.Database.ConnectionString, send);
}
