using IndustryData.OData.Tests.Infrastructure;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace IndustryData.OData.Tests.Storage;

/// <summary>
/// The T-SQL each JSON shape of $filter becomes on SQL Server, captured offline and parsed with ScriptDom: valid T-SQL,
/// members read through OPENJSON with their JSON type tested (JSON_VALUE cannot tell '5' from 5), values parameterised.
/// The rows are checked on SQLite by JsonMemberFilterTests, and on a real server where Docker exists.
/// </summary>
public class SqlServerJsonMemberSqlTests
{
    private OfflineSqlServerHost host = null!;
    private HttpClient client = null!;

    [SetUp]
    public void Start()
    {
        host = new OfflineSqlServerHost();
        client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestTokens.Read());
    }

    [TearDown]
    public async Task StopAsync()
    {
        client.Dispose();
        await host.DisposeAsync();
    }

    [TestCase("statistics/recordsFailed gt 0", 2)]
    [TestCase("statistics/perEntity/students ge 10", 2)]
    [TestCase("statistics/label eq 'x'", 1)]
    [TestCase("statistics/ok eq true", 3)]
    [TestCase("blockingError/code eq 'E1'", 1)]
    [TestCase("statistics/recordsFailed ne 3", 2)]
    public async Task A_member_is_read_through_OPENJSON_with_its_JSON_type_tested(string filter, int type)
    {
        var script = await SqlOfAsync(filter);

        Assert.Multiple(() =>
        {
            Assert.That(OpenJsonCalls(script), Is.Not.Empty);
            Assert.That(script.All<BooleanComparisonExpression>().Any(comparison => SqlServerLinqSqlTests.Column(comparison.FirstExpression) == "type"
                && comparison.SecondExpression is IntegerLiteral { Value: var value } && value == type.ToString(System.Globalization.CultureInfo.InvariantCulture)), Is.True);
            Assert.That(script.All<VariableReference>(), Is.Not.Empty, "the compared value is a parameter");
        });
    }

    [TestCase("statistics/recordsFailed eq null")]
    [TestCase("blockingError/details/any(d:d/code eq 'x' and d/message eq 'm')")]
    [TestCase("blockingError/details/all(d:d/code eq 'x')")]
    [TestCase("blockingError/details/$count gt 1")]
    [TestCase("blockingError/details/$count($filter=code eq 'x') ge 2")]
    [TestCase("statistics/recordsFailed gt 0 and startDateTime ge 2026-01-02T00:00:00Z")]
    public async Task Lambdas_counts_and_null_tests_are_OPENJSON_subqueries(string filter)
    {
        var script = await SqlOfAsync(filter);

        Assert.Multiple(() =>
        {
            Assert.That(OpenJsonCalls(script), Is.Not.Empty);
            Assert.That(script.All<ScalarSubquery>().Count + script.All<ExistsPredicate>().Count, Is.GreaterThan(0));
        });
    }

    [TestCase("statistics/recordsFailed in (3, 7.5)", 2)]
    [TestCase("statistics/label in ('x', 'y')", 1)]
    public async Task In_on_a_dynamic_member_reads_it_with_the_type_of_each_item(string filter, int type)
    {
        var script = await SqlOfAsync(filter);

        Assert.That(script.All<BooleanComparisonExpression>().Count(comparison => SqlServerLinqSqlTests.Column(comparison.FirstExpression) == "type"
            && comparison.SecondExpression is IntegerLiteral { Value: var value } && value == type.ToString(System.Globalization.CultureInfo.InvariantCulture)), Is.GreaterThanOrEqualTo(2));
    }

    [TestCase("statistics/recordsSent desc")]
    [TestCase("statistics/perEntity/students,displayName desc")]
    public async Task A_sort_on_a_member_orders_by_its_class_number_and_binary_collated_text(string orderBy)
    {
        var script = await SqlOfAsync(null, orderBy);

        Assert.Multiple(() =>
        {
            Assert.That(script.All<ExpressionWithSortOrder>(), Has.Count.GreaterThanOrEqualTo(4), "class, number, text, id");
            Assert.That(OpenJsonCalls(script), Has.Count.GreaterThanOrEqualTo(3));
            Assert.That(script.All<ExpressionWithSortOrder>().Any(sort => sort.Expression is PrimaryExpression { Collation.Value: "Latin1_General_100_BIN2" }), Is.True);
        });
    }

    /// <summary>The next page after a run whose member holds 1e20: the cursor's number is converted by the database, as the stored member is.</summary>
    [Test]
    public async Task A_cursor_page_seeks_with_the_members_text_converted_by_the_database()
    {
        const string orderBy = "statistics/recordsSent desc";
        var token = Service.Querying.OpaqueToken.Create($"{typeof(IndustryData.OData.Model.Runs.Run).FullName}\n\n{orderBy}\n", writer =>
        {
            writer.WriteNumberValue(1);
            writer.WriteRawValue("1e20");
            writer.WriteStringValue("01a235c2-7739-7cab-8b0c-df0680a78ec0");
        });

        var script = await SqlOfAsync(null, orderBy, token);

        Assert.Multiple(() =>
        {
            Assert.That(script.All<TryConvertCall>().Count(call => call.Parameter is VariableReference), Is.GreaterThan(0),
                "the cursor's number text is converted in SQL");
            Assert.That(script.All<BooleanComparisonExpression>().Any(comparison => comparison.ComparisonType == BooleanComparisonType.LessThan), Is.True);
        });
    }

    private static IReadOnlyList<OpenJsonTableReference> OpenJsonCalls(TSqlFragment script) => script.All<OpenJsonTableReference>();

    private async Task<TSqlFragment> SqlOfAsync(string? filter, string? orderBy = null, string? skipToken = null)
    {
        var query = string.Join("&", new[] { ("$filter", filter), ("$orderby", orderBy), ("$skiptoken", skipToken) }
            .Where(option => option.Item2 is not null).Select(option => option.Item1 + "=" + Uri.EscapeDataString(option.Item2!)));
        using var response = await client.GetAsync("runs?" + query);
        var body = await response.Content.ReadAsStringAsync();
        var sql = host.Captured.Commands;
        Assert.That(sql, Has.Count.EqualTo(1), $"{query} sent no single query; it answered {(int)response.StatusCode}: {body}");
        TestContext.Out.WriteLine(sql[0]);
        return TSql.ParseValid(sql[0]);
    }
}
