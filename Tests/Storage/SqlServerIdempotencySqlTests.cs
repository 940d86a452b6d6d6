using IndustryData.OData.Service.Idempotency;
using IndustryData.OData.Service.Storage;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace IndustryData.OData.Tests.Storage;

/// <summary>
/// The T-SQL of the idempotency-key statements, captured offline and parsed: the group commit's look-up goes through
/// the primary key, and pruning deletes a bounded number of rows chosen by createdAt.
/// </summary>
public class SqlServerIdempotencySqlTests
{
    [Test]
    public void Keys_of_a_group_are_looked_up_in_one_query_on_the_key_hash()
    {
        var captured = new CapturedSql();
        using var db = OfflineSqlServer.CreateContext(captured);

        Assert.ThrowsAsync<OfflineCommandException>(() => RunInsertQueue.KeysInUseAsync(db, [new string('A', 64), new string('B', 64)]));
        var sql = captured.Commands.Single();
        var script = TSql.ParseValid(sql);
        var filtered = script.All<InPredicate>().Select(predicate => SqlServerLinqSqlTests.Column(predicate.Expression))
            .Concat(script.All<BooleanComparisonExpression>().Select(comparison => SqlServerLinqSqlTests.Column(comparison.FirstExpression)));

        Assert.Multiple(() =>
        {
            Assert.That(script.All<QuerySpecification>().Count(), Is.GreaterThanOrEqualTo(1), sql);
            Assert.That(filtered, Does.Contain("keyHash"), sql);
        });
    }

    [Test]
    public void Pruning_deletes_at_most_one_batch_of_expired_keys_per_statement()
    {
        var captured = new CapturedSql();
        using var db = OfflineSqlServer.CreateContext(captured);

        Assert.ThrowsAsync<OfflineCommandException>(() => IdempotencyKeyPruner.DeleteExpiredAsync(db, DateTime.UtcNow, 1000, CancellationToken.None));
        var sql = captured.Commands.Single();
        var script = TSql.ParseValid(sql);
        var delete = script.All<DeleteStatement>().SingleOrDefault();
        var bounded = delete?.DeleteSpecification.TopRowFilter is not null
            || script.All<QuerySpecification>().Any(query => query.TopRowFilter is not null || query.OffsetClause is not null);
        var onCreatedAt = script.All<BooleanComparisonExpression>().Any(comparison => SqlServerLinqSqlTests.Column(comparison.FirstExpression) == "createdAt");

        Assert.Multiple(() =>
        {
            Assert.That(delete, Is.Not.Null, sql);
            Assert.That(bounded, Is.True, "a TOP bounds the statement: " + sql);
            Assert.That(onCreatedAt, Is.True, "expired keys are found by createdAt: " + sql);
        });
    }
}
