using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Changes;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace IndustryData.OData.Tests.Storage;

/// <summary>
/// The T-SQL of cursor pages and delta on SQL Server, captured offline: a cursor page seeks on the order's index, and
/// delta reads rowversion ranges below MIN_ACTIVE_ROWVERSION(), in rowversion order.
/// </summary>
public class SqlServerChangeSqlTests
{
    [Test]
    public async Task The_high_water_mark_is_min_active_rowversion()
    {
        var sql = await CaptureAsync(feed => feed.HighWaterMarkAsync(CancellationToken.None));

        Assert.That(sql, Does.Contain("MIN_ACTIVE_ROWVERSION()"));
    }

    [Test]
    public async Task Changed_runs_are_a_rowversion_range_in_rowversion_order()
    {
        var query = TSql.ParseValid(await CaptureAsync(feed => feed.ChangedRunsAsync<OutgoingFlowRun>(10, 20, 101, CancellationToken.None)))
            .All<QuerySpecification>().Single();

        Assert.Multiple(() =>
        {
            Assert.That(query.WhereClause.All<BooleanComparisonExpression>().Select(c => (SqlServerLinqSqlTests.Column(c.FirstExpression), c.ComparisonType)),
                Is.SupersetOf(new[] { ("version", BooleanComparisonType.GreaterThan), ("version", BooleanComparisonType.LessThanOrEqualTo) }));
            Assert.That(query.OrderByClause?.OrderByElements.Select(SqlServerLinqSqlTests.Column), Is.EqualTo(new[] { "version" }));
            Assert.That(query.TopRowFilter, Is.Not.Null);
        });
    }

    [Test]
    public async Task Deletions_are_a_sequence_range_of_tombstones_of_the_type()
    {
        var query = TSql.ParseValid(await CaptureAsync(feed => feed.DeletionsAsync<IncomingFlowRun>(10, 20, 101, CancellationToken.None)))
            .All<QuerySpecification>().Single();

        Assert.Multiple(() =>
        {
            Assert.That(query.FromClause.All<NamedTableReference>().Select(table => table.SchemaObject.BaseIdentifier.Name()), Is.EqualTo(new[] { "runTombstones" }));
            Assert.That(query.OrderByClause?.OrderByElements.Select(SqlServerLinqSqlTests.Column), Is.EqualTo(new[] { "sequence" }));
            Assert.That(query.WhereClause.All<BooleanComparisonExpression>().Select(c => SqlServerLinqSqlTests.Column(c.FirstExpression)),
                Is.EquivalentTo(new[] { "sequence", "sequence", "type" }));
        });
    }

    [Test]
    public void A_cursor_page_seeks_past_the_cursor_in_index_order()
    {
        var capture = new CapturedSql();
        using var db = OfflineSqlServer.CreateContext(capture);
        var order = Service.Querying.SortOrder.For(null, typeof(Run));
        var segments = Service.Querying.KeysetSeek.Segments<Run>(order, ["01a235c2-7739-7cab-8b0c-df0680a78ec0"]);

        Assert.ThrowsAsync<OfflineCommandException>(() => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            order.Apply(db.Runs.Where(segments.Single())).Take(101)));
        var query = TSql.ParseValid(capture.Commands.Single()).All<QuerySpecification>().Single();

        Assert.Multiple(() =>
        {
            Assert.That(query.WhereClause.All<BooleanComparisonExpression>().Select(c => (SqlServerLinqSqlTests.Column(c.FirstExpression), c.ComparisonType)),
                Is.EqualTo(new[] { ("id", BooleanComparisonType.GreaterThan) }));
            Assert.That(query.OrderByClause?.OrderByElements.Select(SqlServerLinqSqlTests.Column), Is.EqualTo(new[] { "id" }));
        });
    }

    private static async Task<string> CaptureAsync(Func<ChangeFeed, Task> query)
    {
        var capture = new CapturedSql();
        await using var db = OfflineSqlServer.CreateContext(capture);
        Assert.ThrowsAsync<OfflineCommandException>(() => query(new ChangeFeed(db)));
        TestContext.Out.WriteLine(capture.Commands.Single());
        return capture.Commands.Single();
    }
}
