using System.Net;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace IndustryData.OData.Tests.Storage;

/// <summary>
/// The T-SQL each canonical function shape becomes on SQL Server, captured offline and parsed with ScriptDom: it must be
/// valid T-SQL, call the functions named, and keep date ranges on the bare column (so the date-time indexes serve them).
/// The rows these return are checked on a real server by <c>CanonicalFunctionTests</c> (SQL Server fixture).
/// </summary>
public class SqlServerFunctionSqlTests
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

    [TestCase("length(displayName) eq 12", "LEN")]
    [TestCase("indexof(displayName,'port') eq 8", "CHARINDEX,DATALENGTH")]
    [TestCase("substring(displayName,-2) eq '42'", "SUBSTRING,LEN")]
    [TestCase("substring(displayName,1,4) eq 'lpha'", "SUBSTRING,LEN")]
    [TestCase("tolower(displayName) eq 'élan éxport'", "LOWER")]
    [TestCase("toupper(displayName) eq 'ALPHA EXPORT'", "UPPER")]
    [TestCase("trim(displayName) eq 'Bravo import'", "LTRIM,RTRIM")]
    [TestCase("month(startDateTime) eq 2", "DATEPART")]
    [TestCase("hour(endDateTime) eq 23", "DATEPART")]
    [TestCase("fractionalseconds(startDateTime) eq 0.25", "DATEPART")]
    [TestCase("totaloffsetminutes(endDateTime) eq 0", "DATEPART")]
    [TestCase("endDateTime sub startDateTime gt duration'PT1H'", "DATEDIFF_BIG,DATEPART")]
    [TestCase("totalseconds(endDateTime sub startDateTime) gt 3600", "DATEDIFF_BIG,DATEPART")]
    [TestCase("startDateTime add duration'P1DT2H' lt 2026-01-01T00:00:00Z", "DATEADD")]
    [TestCase("round(length(displayName) divby 8) eq 2", "ROUND,LEN")]
    [TestCase("floor(length(displayName) divby 5) eq 2", "FLOOR,LEN")]
    [TestCase("ceiling(length(displayName) divby 5) eq 3", "CEILING,LEN")]
    public async Task Function_becomes_valid_TSql_calling(string filter, string functions)
    {
        var script = await SqlOfAsync(filter);

        Assert.That(script.All<FunctionCall>().Select(call => call.FunctionName.Name().ToUpperInvariant()).Distinct(), Is.SupersetOf(functions.Split(',')));
    }

    [TestCase("date(startDateTime) eq date(endDateTime)")]
    [TestCase("time(startDateTime) lt 01:00:00")]
    public async Task Date_and_time_of_a_column_are_casts(string filter)
    {
        var script = await SqlOfAsync(filter);

        Assert.That(script.All<CastCall>(), Is.Not.Empty);
    }

    /// <summary>A bare LIKE (not inside a CASE) with the wildcards of the text escaped; a prefix LIKE can seek the displayName index.</summary>
    [TestCase("startswith(displayName,'50%_off')")]
    [TestCase("endswith(displayName,'[x]')")]
    [TestCase("contains(displayName,'5%')")]
    public async Task Contains_startswith_and_endswith_are_a_LIKE_with_the_wildcards_escaped(string filter)
    {
        var script = await SqlOfAsync(filter);

        Assert.Multiple(() =>
        {
            Assert.That(script.All<LikePredicate>().Select(like => SqlServerLinqSqlTests.Column(like.FirstExpression)), Is.EqualTo(new[] { "displayName" }));
            Assert.That(script.All<LikePredicate>().Single().EscapeExpression, Is.Not.Null);
            Assert.That(script.All<SearchedCaseExpression>(), Is.Empty);
            Assert.That(script.All<FunctionCall>().Count(call => call.FunctionName.Name().Equals("REPLACE", StringComparison.OrdinalIgnoreCase)), Is.EqualTo(4));
        });
    }

    [Test]
    public async Task Decimal_comparisons_are_a_CASE_expression()
    {
        var script = await SqlOfAsync("fractionalseconds(endDateTime) gt 0.5");

        Assert.That(script.All<SearchedCaseExpression>(), Is.Not.Empty);
    }

    /// <summary>EF Core would send a decimal literal as decimal(18,2), rounding 0.1234567 to 0.12 before comparing.</summary>
    [Test]
    public async Task A_decimal_literal_keeps_its_digits()
    {
        await SqlOfAsync("fractionalseconds(startDateTime) eq 0.1234567");

        var parameter = host.Captured.Parameters.Single().Single(parameter => parameter.Value is decimal);
        Assert.Multiple(() =>
        {
            Assert.That(parameter.Scale, Is.GreaterThanOrEqualTo(7));
            Assert.That(parameter.Value, Is.EqualTo(0.1234567m));
        });
    }

    /// <summary>EF Core drops the null guard of concat when neither side can be null (here: a required column and literals).</summary>
    [Test]
    public async Task Concat_of_a_required_column_and_literals_is_plain_concatenation()
    {
        var script = await SqlOfAsync("concat(concat(displayName,'/'),'x') eq 'Echo/x'");

        Assert.That(script.All<BinaryExpression>().Select(binary => binary.BinaryExpressionType), Does.Contain(BinaryExpressionType.Add));
    }

    [TestCase("date(startDateTime) eq 2026-01-02", 2)]
    [TestCase("year(startDateTime) eq 2026", 2)]
    [TestCase("year(startDateTime) eq 2026 and month(startDateTime) eq 2", 2)]
    [TestCase("date(startDateTime) gt 2026-01-02", 1)]
    [TestCase("startDateTime ge 2026-01-02", 1)]
    public async Task Date_functions_against_literals_are_ranges_of_the_bare_column(string filter, int comparisons)
    {
        var script = await SqlOfAsync(filter);

        Assert.Multiple(() =>
        {
            Assert.That(script.All<FunctionCall>().Select(call => call.FunctionName.Name().ToUpperInvariant()), Does.Not.Contain("DATEPART").And.Not.Contain("CAST"));
            Assert.That(script.All<CastCall>(), Is.Empty);
            Assert.That(script.All<BooleanComparisonExpression>().Count(comparison => SqlServerLinqSqlTests.Column(comparison.FirstExpression) == "startDateTime"),
                Is.EqualTo(comparisons));
        });
    }

    [Test]
    public async Task MatchesPattern_is_a_501_naming_it_and_sends_nothing()
    {
        using var response = await client.GetAsync("runs?$filter=" + Uri.EscapeDataString("matchesPattern(displayName,'^A')"));

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.NotImplemented, "queryFeatureNotSupported", "$filter");
        Assert.Multiple(() =>
        {
            Assert.That((string?)error["message"], Does.Contain("matchesPattern").And.Contain("contains"));
            Assert.That(host.Captured.Commands, Is.Empty);
        });
    }

    /// <summary>$compute is a projection next to the run, filtered and ordered by the same expressions, in valid T-SQL.</summary>
    [Test]
    public async Task Compute_is_a_projection_in_valid_TSql()
    {
        using var response = await client.GetAsync("runs?$compute=" + Uri.EscapeDataString("length(displayName) as n,year(startDateTime) as y")
            + "&$filter=" + Uri.EscapeDataString("n gt 3") + "&$orderby=n desc&$select=n,y");
        var sql = host.Captured.Commands;
        Assert.That(sql, Has.Count.EqualTo(1), await response.Content.ReadAsStringAsync());

        var script = TSql.ParseValid(sql[0]);
        Assert.That(script.All<FunctionCall>().Select(call => call.FunctionName.Name().ToUpperInvariant()), Does.Contain("LEN").And.Contain("DATEPART"));
    }

    private async Task<TSqlFragment> SqlOfAsync(string filter)
    {
        using var response = await client.GetAsync("runs?$filter=" + Uri.EscapeDataString(filter));
        var body = await response.Content.ReadAsStringAsync();
        var sql = host.Captured.Commands;
        Assert.That(sql, Has.Count.EqualTo(1), $"$filter={filter} sent no single query; it answered {(int)response.StatusCode}: {body}");
        TestContext.Out.WriteLine(sql[0]);
        return TSql.ParseValid(sql[0]);
    }
}
