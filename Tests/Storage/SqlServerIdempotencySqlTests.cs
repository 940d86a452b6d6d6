using System.Data;
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
    public void A_groups_key_records_are_inserted_by_one_statement_with_the_columns_types()
    {
        var captured = new CapturedSql();
        using var db = OfflineSqlServer.CreateContext(captured);
        var now = DateTime.UtcNow;
        IdempotencyRecord[] records =
        [
            new() { KeyHash = new string('A', 64), RequestHash = new string('1', 64), RunId = Guid.CreateVersion7().ToString(), CreatedAt = now },
            new() { KeyHash = new string('B', 64), RequestHash = new string('2', 64), RunId = Guid.CreateVersion7().ToString(), CreatedAt = now },
            new() { KeyHash = new string('C', 64), RequestHash = new string('3', 64), RunId = Guid.CreateVersion7().ToString(), CreatedAt = now },
        ];

        Assert.ThrowsAsync<OfflineCommandException>(() => MultiRowInsert.InsertAsync(db, records, CancellationToken.None));
        var sql = captured.Commands.Single();
        var insert = TSql.ParseValid(sql).All<InsertStatement>().Single().InsertSpecification;
        var rows = ((ValuesInsertSource)insert.InsertSource).RowValues;
        var parameters = captured.Parameters.Single();
        var columns = insert.Columns.Select(column => column.MultiPartIdentifier.Identifiers.Last().Value).ToList();
        var rowParameters = rows.Select((_, row) => columns.Select((column, index) => (column, parameter: parameters[(row * columns.Count) + index]))
            .ToDictionary(pair => pair.column, pair => pair.parameter)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(((NamedTableReference)insert.Target).SchemaObject.BaseIdentifier.Value, Is.EqualTo("idempotencyKeys"), sql);
            Assert.That(columns, Is.EquivalentTo(new[] { "keyHash", "requestHash", "runId", "createdAt" }), sql);
            Assert.That(rows, Has.Count.EqualTo(3), sql);
            Assert.That(rows.Select(row => row.ColumnValues.Count), Is.All.EqualTo(4), sql);
            Assert.That(parameters, Has.Count.EqualTo(12), sql);
            Assert.That(rowParameters.Select(row => (row["keyHash"].Value, row["requestHash"].Value, row["runId"].Value, row["createdAt"].Value)),
                Is.EqualTo(records.Select(record => ((object)record.KeyHash, (object)record.RequestHash, (object)record.RunId, (object)record.CreatedAt))));
            // The columns' own types (char(64), varchar(36), datetime2): no implicit conversion, no nvarchar against the key.
            Assert.That(new[] { "keyHash", "requestHash", "runId", "createdAt" }.Select(column => (rowParameters[0][column].DbType, rowParameters[0][column].Size)),
                Is.EqualTo(new[] { (DbType.AnsiStringFixedLength, 64), (DbType.AnsiStringFixedLength, 64), (DbType.AnsiString, 36), (DbType.DateTime2, 0) }));
        });
    }

    [Test]
    public void The_key_records_of_the_largest_group_stay_within_SQL_Servers_2100_parameters()
    {
        var captured = new CapturedSql();
        using var db = OfflineSqlServer.CreateContext(captured);
        var records = Enumerable.Range(0, RunInsertQueue.MaxPerCommit).Select(index => new IdempotencyRecord
        {
            KeyHash = index.ToString("X64", System.Globalization.CultureInfo.InvariantCulture), RequestHash = new string('1', 64), RunId = Guid.CreateVersion7().ToString(), CreatedAt = DateTime.UtcNow,
        }).ToList();

        Assert.ThrowsAsync<OfflineCommandException>(() => MultiRowInsert.InsertAsync(db, records, CancellationToken.None));

        Assert.That(captured.Parameters.Single(), Has.Count.EqualTo(RunInsertQueue.MaxPerCommit * 4).And.Count.LessThanOrEqualTo(2100));
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
