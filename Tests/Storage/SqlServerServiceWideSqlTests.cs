using IndustryData.OData.Service.ResourcePaths;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace IndustryData.OData.Tests.Storage;

/// <summary>
/// $all and $crossjoin(runs,subscriptions) on SQL Server, offline: each slice they read is valid T-SQL that seeks after
/// the cursor's key (a parameter, never a literal) and reads a bounded number of rows (TOP or OFFSET … FETCH).
/// </summary>
public sealed class SqlServerServiceWideSqlTests
{
    private static readonly Func<ServiceWideSets, Task>[] Reads =
    [
        sets => sets.RunsAsync("run-after", inclusive: false, skip: 0, take: 11, CancellationToken.None),
        sets => sets.RunsAsync("run-after", inclusive: true, skip: 0, take: 11, CancellationToken.None),
        sets => sets.RunIdsAsync("run-after", inclusive: true, skip: 0, take: 11, CancellationToken.None),
        sets => sets.SubscriptionsAsync("subscription-after", skip: 0, take: 11, CancellationToken.None),
    ];

    [TestCaseSource(nameof(ReadIndexes))]
    public async Task A_slice_after_a_cursor_is_a_bounded_seek(int read)
    {
        var captured = new CapturedSql();
        await using var db = OfflineSqlServer.CreateContext(captured);

        Assert.ThrowsAsync<OfflineCommandException>(() => Reads[read](new ServiceWideSets(db, "issuer\nuser-1")));

        var sql = captured.Commands.Single();
        var script = TSql.ParseValid(sql);
        Assert.Multiple(() =>
        {
            Assert.That(script.All<BooleanComparisonExpression>().Where(comparison => comparison.SecondExpression is VariableReference)
                .Select(comparison => comparison.ComparisonType), Has.Some.AnyOf(BooleanComparisonType.GreaterThan, BooleanComparisonType.GreaterThanOrEqualTo), sql);
            Assert.That(script.All<TopRowFilter>().Count + script.All<OffsetClause>().Count, Is.GreaterThan(0), sql);
            Assert.That(sql, Does.Not.Contain("run-after").And.Not.Contain("subscription-after"), "the cursor is a parameter");
        });
    }

    [Test]
    public async Task A_skip_is_offset_fetch_and_counts_are_valid()
    {
        var captured = new CapturedSql();
        await using var db = OfflineSqlServer.CreateContext(captured);
        var sets = new ServiceWideSets(db, "issuer\nuser-1");

        Assert.ThrowsAsync<OfflineCommandException>(() => sets.RunsAsync(null, inclusive: false, skip: 5, take: 3, CancellationToken.None));
        Assert.ThrowsAsync<OfflineCommandException>(() => sets.CountAsync(ServiceWideSets.Runs, CancellationToken.None));
        Assert.ThrowsAsync<OfflineCommandException>(() => sets.CountAsync(ServiceWideSets.Subscriptions, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(TSql.ParseValid(captured.Commands[0]).All<OffsetClause>(), Has.Count.EqualTo(1), captured.Commands[0]);
            foreach (var sql in captured.Commands.Skip(1))
            {
                TSql.ParseValid(sql);
            }
        });
    }

    private static IEnumerable<int> ReadIndexes() => Enumerable.Range(0, Reads.Length);
}
