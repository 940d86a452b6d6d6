using System.Net;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Security;

/// <summary>Quotes and SQL fragments in $filter and keys are data: they match literally or are rejected, never executed.</summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class SqlInjectionTests(TestProvider provider) : ApiFixture(provider)
{
    private const string Hostile = "x' OR '1'='1'; DROP TABLE runs; --";

    [Test]
    public async Task A_filter_literal_with_quotes_and_sql_matches_only_literally()
    {
        var hostile = (string)(await Client.CreateRunAsync(RunBodies.Outgoing().With("displayName", Hostile)))["id"]!;
        await Client.CreateRunAsync(RunBodies.Outgoing().With("displayName", "x"));
        var literal = Hostile.Replace("'", "''", StringComparison.Ordinal);

        var page = await Client.GetJsonAsync("runs?$filter=" + Uri.EscapeDataString($"displayName eq '{literal}'"));

        Assert.That(page["value"]!.AsArray().Select(run => (string?)run!["id"]), Is.EqualTo(new[] { hostile }));
        Assert.That(await Host.CountRunsAsync(), Is.EqualTo(2));
    }

    [TestCase("displayName eq 'x' OR 1=1 --'")]
    [TestCase("displayName eq 'x'; DROP TABLE runs; --")]
    [TestCase("1 eq 1) or (1 eq 1")]
    public async Task A_filter_that_is_not_odata_is_a_400_and_nothing_happens(string filter)
    {
        await Client.CreateRunAsync(RunBodies.Outgoing());

        using var response = await Client.GetAsync("runs?$filter=" + Uri.EscapeDataString(filter));

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidQueryOption", "$filter");
        Assert.That(await Host.CountRunsAsync(), Is.EqualTo(1));
    }

    [TestCase("runs('x'' OR ''1''=''1')")]
    [TestCase("runs/x' OR '1'='1")]
    [TestCase("runs('x''; DELETE FROM runs; --')")]
    public async Task A_key_with_sql_is_just_an_unknown_key(string url)
    {
        await Client.CreateRunAsync(RunBodies.Outgoing());

        using var response = await Client.GetAsync(url);
        using var delete = await Client.DeleteAsync(url);

        await response.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
        Assert.That((int)delete.StatusCode, Is.EqualTo(404));
        Assert.That(await Host.CountRunsAsync(), Is.EqualTo(1));
    }
}
