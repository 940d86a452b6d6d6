using IndustryData.OData.Tests.Infrastructure;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace IndustryData.OData.Tests.Storage;

/// <summary>
/// The T-SQL each $apply shape becomes on SQL Server, captured offline and parsed with ScriptDom: one statement, valid
/// T-SQL, a GROUP BY (or a whole-set aggregate), statistics members read through OPENJSON with their JSON type, values
/// from the URL sent as parameters. The rows are checked on a real server by <c>ApplyTests</c> (SQL Server fixture).
/// </summary>
public class SqlServerApplySqlTests
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

    [TestCase("groupby((status),aggregate($count as n))", "COUNT_BIG")]
    [TestCase("groupby((status))", "")]
    [TestCase("groupby((blockingError/code),aggregate($count as n))", "OPENJSON,COUNT_BIG")]
    [TestCase("groupby((statistics/source,statistics/nested/x),aggregate($count as n))", "OPENJSON,JSON_QUERY,STRING_ESCAPE,COUNT_BIG")]
    [TestCase("compute(year(startDateTime) as y)/groupby((y),aggregate($count as n))", "DATEPART,COUNT_BIG")]
    [TestCase("compute(isof('microsoft.graph.industryData.outgoingFlowRun') as o)/groupby((o),aggregate($count as n))", "COUNT_BIG")]
    [TestCase("filter(status eq 'failed')/groupby((status),aggregate(statistics/recordsSent with sum as s))/orderby(s desc)/top(3)", "OPENJSON,SUM")]
    [TestCase("groupby((status),aggregate(statistics/recordsSent with average as a,statistics/recordsSent with min as lo,statistics/recordsSent with max as hi))", "AVG,MIN,MAX")]
    [TestCase("groupby((status),aggregate(statistics/source with countdistinct as d,displayName with countdistinct as names))", "COUNT")]
    [TestCase("groupby((status),aggregate(startDateTime with min as first,startDateTime with max as last))", "MIN,MAX")]
    [TestCase("aggregate($count as n,statistics/recordsSent with sum as s)", "COUNT_BIG,SUM")]
    [TestCase("orderby(startDateTime desc)/top(3)/aggregate($count as n)", "COUNT_BIG")]
    [TestCase("groupby((status),aggregate($count as n))/filter(n gt 1)/skip(1)/top(2)", "COUNT_BIG")]
    [TestCase("filter(statistics/recordsSent gt 6)/groupby((status),aggregate($count as n))", "OPENJSON,COUNT_BIG")]
    public async Task Apply_becomes_one_valid_TSql_statement_calling(string apply, string functions)
    {
        var script = await SqlOfAsync("$apply=" + Uri.EscapeDataString(apply) + "&$count=true");

        var called = script.All<FunctionCall>().Select(call => call.FunctionName.Name().ToUpperInvariant()).ToList();
        called.AddRange(script.All<OpenJsonTableReference>().Select(_ => "OPENJSON"));
        Assert.Multiple(() =>
        {
            Assert.That(called, Is.SupersetOf(functions.Split(',', StringSplitOptions.RemoveEmptyEntries)));
            Assert.That(script.All<SelectStatement>(), Has.Count.EqualTo(1));
            Assert.That(script.All<GroupByClause>().Count + called.Count(name => name is "COUNT_BIG" or "SUM" or "MIN" or "MAX" or "AVG" or "COUNT"), Is.Positive);
        });
    }

    [Test]
    public async Task Groupby_status_is_a_GROUP_BY_on_the_bare_column()
    {
        var script = await SqlOfAsync("$apply=" + Uri.EscapeDataString("groupby((status),aggregate($count as n))"));

        var groupBy = script.All<GroupByClause>().Single();
        Assert.That(groupBy.GroupingSpecifications.OfType<ExpressionGroupingSpecification>().Select(spec => SqlServerLinqSqlTests.Column(spec.Expression)),
            Is.EqualTo(new[] { "status" }));
    }

    [Test]
    public async Task Values_from_the_URL_are_parameters()
    {
        await SqlOfAsync("$apply=" + Uri.EscapeDataString("filter(displayName eq 'O''Brien; DROP' and statistics/recordsSent gt 6)/groupby((status),aggregate($count as n))")
            + "&$filter=" + Uri.EscapeDataString("n gt 41"));

        var sql = host.Captured.Commands.Single();
        var values = host.Captured.Parameters.Single().Select(parameter => parameter.Value).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(sql, Does.Not.Contain("Brien").And.Not.Contain(" 41").And.Not.Contain(" 6)"));
            Assert.That(values, Does.Contain("O'Brien; DROP").And.Contain(6).And.Contain(41));
        });
    }

    [Test]
    public async Task Not_evaluated_apply_sends_nothing()
    {
        using var response = await client.GetAsync("runs?$apply=" + Uri.EscapeDataString("topcount(2,statistics/recordsSent)"));

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(501));
            Assert.That(host.Captured.Commands, Is.Empty);
        });
    }

    private async Task<TSqlFragment> SqlOfAsync(string query)
    {
        using var response = await client.GetAsync("runs?" + query);
        var body = await response.Content.ReadAsStringAsync();
        var sql = host.Captured.Commands;
        Assert.That(sql, Has.Count.EqualTo(1), $"{query} sent no single query; it answered {(int)response.StatusCode}: {body}");
        TestContext.Out.WriteLine(sql[0]);
        return TSql.ParseValid(sql[0]);
    }
}
