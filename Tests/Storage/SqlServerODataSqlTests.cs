using IndustryData.OData.Tests.Infrastructure;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace IndustryData.OData.Tests.Storage;

/// <summary>
/// The T-SQL the service itself sends to SQL Server for OData requests (query options → EF → SQL), captured offline
/// and parsed with ScriptDom.
/// </summary>
public class SqlServerODataSqlTests
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

    [Test]
    public async Task Filter_orderby_skip_top_is_one_paged_query()
    {
        var query = (await SqlOfAsync("runs?$filter=status eq 'completed'&$orderby=startDateTime desc&$skip=10&$top=5")).All<QuerySpecification>().Single();

        Assert.Multiple(() =>
        {
            Assert.That(query.WhereClause, Is.Not.Null);
            Assert.That(query.OrderByClause?.OrderByElements.Select(SqlServerLinqSqlTests.Column), Is.EqualTo(new[] { "startDateTime", "id" }));
            Assert.That(query.OffsetClause?.FetchExpression, Is.Not.Null);
        });
    }

    [TestCase("runs/microsoft.graph.industryData.outgoingFlowRun", "outgoingFlowRun")]
    [TestCase("runs?$filter=isof('microsoft.graph.industryData.incomingFlowRun')", "incomingFlowRun")]
    public async Task Type_cast_and_isof_filter_on_the_discriminator(string url, string discriminator)
    {
        var script = await SqlOfAsync(url);

        Assert.That(SqlServerLinqSqlTests.DiscriminatorTests(script), Is.EqualTo(new[] { discriminator }));
    }

    [TestCase("contains")]
    [TestCase("startswith")]
    public async Task Text_functions_on_displayName_are_LIKE(string function)
    {
        var script = await SqlOfAsync($"runs?$filter={function}(displayName,'Night')");

        Assert.That(script.All<LikePredicate>().Select(like => SqlServerLinqSqlTests.Column(like.FirstExpression)), Is.EqualTo(new[] { "displayName" }));
    }

    [Test]
    public async Task Count_segment_is_counted_by_the_server()
    {
        var script = await SqlOfAsync("runs/$count?$filter=status eq 'failed'");

        Assert.That(script.All<FunctionCall>().Select(call => call.FunctionName.Name().ToUpperInvariant()), Does.Contain("COUNT_BIG"));
    }

    private async Task<TSqlFragment> SqlOfAsync(string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        var sql = host.Captured.Commands;
        Assert.That(sql, Has.Count.EqualTo(1), $"GET {url} sent no single query; it answered {(int)response.StatusCode}: {body}");
        TestContext.Out.WriteLine(sql[0]);
        return TSql.ParseValid(sql[0]);
    }
}
