using IndustryData.OData.Model.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace IndustryData.OData.Tests.Storage;

/// <summary>
/// The SQL that EF sends to SQL Server for the query shapes the service uses, rendered offline and parsed with
/// ScriptDom: valid T-SQL, with paging, type tests and text matching done by the server.
/// </summary>
public class SqlServerLinqSqlTests
{
    [Test]
    public void Filtered_ordered_page_uses_offset_fetch()
    {
        using var db = OfflineSqlServer.CreateContext();
        var sql = db.Runs.Where(r => r.Status == RunStatus.Completed).OrderBy(r => r.StartDateTime).ThenBy(r => r.Id).Skip(10).Take(5).ToQueryString();

        var query = TSql.ParseValid(sql).All<QuerySpecification>().Single();

        Assert.Multiple(() =>
        {
            Assert.That(query.WhereClause, Is.Not.Null, sql);
            Assert.That(query.OrderByClause?.OrderByElements.Select(Column), Is.EqualTo(new[] { "startDateTime", "id" }), sql);
            Assert.That(query.OffsetClause?.OffsetExpression, Is.Not.Null, sql);
            Assert.That(query.OffsetClause?.FetchExpression, Is.Not.Null, sql);
        });
    }

    [Test]
    public void OfType_filters_on_the_discriminator()
    {
        using var db = OfflineSqlServer.CreateContext();
        var sql = db.Runs.OfType<OutgoingFlowRun>().ToQueryString();

        Assert.That(DiscriminatorTests(TSql.ParseValid(sql)), Is.EqualTo(new[] { "outgoingFlowRun" }), sql);
    }

    [Test]
    public void Is_filters_on_the_discriminator()
    {
        using var db = OfflineSqlServer.CreateContext();
        var sql = db.Runs.Where(r => r is IncomingFlowRun).ToQueryString();

        Assert.That(DiscriminatorTests(TSql.ParseValid(sql)), Is.EqualTo(new[] { "incomingFlowRun" }), sql);
    }

    [TestCase("contains")]
    [TestCase("startswith")]
    public void Text_matching_on_displayName_is_a_LIKE(string function)
    {
        using var db = OfflineSqlServer.CreateContext();
        var text = "Night";
        var runs = function == "contains" ? db.Runs.Where(r => r.DisplayName.Contains(text)) : db.Runs.Where(r => r.DisplayName.StartsWith(text));
        var sql = runs.ToQueryString();

        var likes = TSql.ParseValid(sql).All<LikePredicate>();

        Assert.That(likes.Select(like => Column(like.FirstExpression)), Is.EqualTo(new[] { "displayName" }), sql);
    }

    [Test]
    public void Count_is_counted_by_the_server()
    {
        var captured = new CapturedSql();
        using var db = OfflineSqlServer.CreateContext(captured);

        Assert.ThrowsAsync<OfflineCommandException>(() => db.Runs.Where(r => r.Status == RunStatus.Failed).LongCountAsync());
        var sql = captured.Commands.Single();
        var counts = TSql.ParseValid(sql).All<FunctionCall>().Select(call => call.FunctionName.Name().ToUpperInvariant());

        Assert.That(counts, Does.Contain("COUNT_BIG"), sql);
    }

    public static IEnumerable<string> DiscriminatorTests(TSqlFragment script) => script.All<BooleanComparisonExpression>()
        .Where(comparison => Column(comparison.FirstExpression) == "type")
        .Select(comparison => (comparison.SecondExpression as StringLiteral)?.Value ?? "(not a literal)");

    public static string Column(TSqlFragment? fragment) => fragment switch
    {
        ExpressionWithSortOrder sorted => Column(sorted.Expression),
        ColumnReferenceExpression column => column.MultiPartIdentifier.Identifiers.Last().Name(),
        _ => string.Empty,
    };
}
