using System.Text.RegularExpressions;
using IndustryData.OData.Service.Storage;
using IndustryData.OData.Service.Subscriptions;
using IndustryData.OData.Tests.Infrastructure;
using IndustryData.OData.Tests.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace IndustryData.OData.Tests.Subscriptions;

/// <summary>
/// The notification log's statements as the service sends them: on SQLite, explained on a migrated database (a
/// subscription's pending changes are a range of the log's primary key, its $filter evaluated on that range only);
/// on SQL Server, captured offline and parsed with ScriptDom, and the migration's triggers parsed too.
/// </summary>
public sealed partial class NotificationLogSqlTests : ApiFixture
{
    private static readonly SubscriptionRecord Subscription = new() { Id = "s", ChangeTypes = ChangeTypes.Created | ChangeTypes.Updated };
    private static readonly SubscriptionResource Filtered = new(typeof(global::IndustryData.OData.Model.Runs.OutgoingFlowRun), "outgoingFlowRun", "status eq 'failed' and startswith(displayName,'N')");

    [Test]
    public async Task Sqlite_pending_changes_of_a_filtered_cast_subscription_are_a_primary_key_range()
    {
        var plan = await SqlitePlanOfAsync(log => log.PendingAsync(Subscription, Filtered, 10, 20, 100, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(plan.Where(line => line.StartsWith("SEARCH", StringComparison.Ordinal) || line.StartsWith("SCAN", StringComparison.Ordinal)),
                Is.Not.Empty.And.All.Match(@"^SEARCH \w+ USING INTEGER PRIMARY KEY \(rowid(>\? AND rowid<\?|=\?)\)$"), string.Join("\n", plan));
            Assert.That(plan, Has.Some.Match(@"^SEARCH runChanges USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)$"), "the filter reads only the range");
            Assert.That(plan, Has.None.Contains("TEMP B-TREE"), string.Join("\n", plan));
        });
    }

    [Test]
    public async Task SqlServer_pending_changes_are_a_rowversion_range_and_parse_as_TSql()
    {
        await using var host = new OfflineSqlServerHost();
        var capture = new CapturedSql();
        await using var db = OfflineSqlServer.CreateContext(capture);
        using var scope = host.Services.CreateScope();
        var log = new NotificationLog(db, scope.ServiceProvider.GetRequiredService<SubscriptionFilter>());

        Assert.ThrowsAsync<OfflineCommandException>(() => log.PendingAsync(Subscription, Filtered, 10, 20, 100, CancellationToken.None));
        var sql = capture.Commands.Single();
        TestContext.Out.WriteLine(sql);
        var script = TSql.ParseValid(sql);

        Assert.Multiple(() =>
        {
            Assert.That(script.All<NamedTableReference>().Select(t => t.SchemaObject.BaseIdentifier.Name()), Is.All.EqualTo("runChanges"));
            Assert.That(sql, Does.Contain("[sequence] > CAST(CAST("), "the snapshot subquery reads only the range");
            Assert.That(script.All<LikePredicate>(), Has.Count.EqualTo(1), "the subscription's filter, translated like a list's");
        });
    }

    [Test]
    public async Task SqlServer_high_water_mark_is_min_active_rowversion()
    {
        var capture = new CapturedSql();
        await using var db = OfflineSqlServer.CreateContext(capture);
        var log = new NotificationLog(db, null!);

        Assert.ThrowsAsync<OfflineCommandException>(() => log.HighWaterMarkAsync(CancellationToken.None));

        Assert.That(capture.Commands.Single(), Does.Contain("MIN_ACTIVE_ROWVERSION()"));
    }

    [Test]
    public void SqlServer_triggers_of_the_migration_parse_and_write_the_log_from_inserted_and_deleted()
    {
        var migration = File.ReadAllText(Directory.GetFiles(RepositoryFiles.PathOf("Service/Storage/Migrations/SqlServer"), "*_Subscriptions.cs").Single());
        var triggers = TriggerText().Matches(migration).Select(match => match.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal)).ToList();

        Assert.That(triggers, Has.Count.EqualTo(3));
        foreach (var trigger in triggers)
        {
            var script = TSql.ParseValid(trigger);
            var insert = script.All<InsertStatement>().Single();
            Assert.That(((NamedTableReference)insert.InsertSpecification.Target).SchemaObject.BaseIdentifier.Name(), Is.EqualTo("runChanges"));
            Assert.That(script.All<NamedTableReference>().Select(t => t.SchemaObject.BaseIdentifier.Name()), Does.Contain(trigger.Contains("AFTER DELETE", StringComparison.Ordinal) ? "deleted" : "inserted"));
        }
    }

    private async Task<List<string>> SqlitePlanOfAsync(Func<NotificationLog, Task> send)
    {
        var captured = new CapturedSql();
        var options = new DbContextOptionsBuilder<SqliteRunsDbContext>();
        StorageServiceCollectionExtensions.ConfigureSqlite(options, Host.Database.ConnectionString);
        options.AddInterceptors(captured);
        using var scope = Host.Services.CreateScope();
        await using (var db = new SqliteRunsDbContext(options.Options))
        {
            Assert.ThrowsAsync<OfflineCommandException>(() => send(new NotificationLog(db, scope.ServiceProvider.GetRequiredService<SubscriptionFilter>())));
        }

        var statement = captured.Commands.Single();
        TestContext.Out.WriteLine(statement);
        await using var connection = new SqliteConnection(Host.Database.ConnectionString);
        await connection.OpenAsync();
        return await SqlitePlan.ExplainAsync(connection, statement);
    }

    [GeneratedRegex(@"EXEC\(N'(CREATE TRIGGER .*?END)'\);", RegexOptions.Singleline)]
    private static partial Regex TriggerText();
}
