using System.Net;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// Where the query language refuses: a 400 for requests OData calls bad (or that cannot be evaluated), a 501 naming
/// the construct for valid syntax the service does not evaluate — always the Graph error shape, never a 500.
/// </summary>
public class QueryLanguageErrorTests : ApiFixture
{
    [TestCase("substring(displayName,1,-1) eq 'x'", "negative length")]
    [TestCase("matchesPattern(displayName,'[')", "invalid regular expression")]
    [TestCase("matchesPattern(displayName,'a','z')", "invalid regular expression")]
    [TestCase("year(2026-01-01T00:00:00+02:00) eq 2026", "UTC")]
    [TestCase("hour(startDateTime) eq hour(2026-01-01T10:00:00-05:00)", "UTC")]
    [TestCase("startDateTime add duration'P3000000D' gt startDateTime", "outside years")]
    [TestCase("maxdatetime() add duration'P1D' gt startDateTime", "outside years")]
    [TestCase("length(displayName) div 0 eq 1", "division")]
    public async Task Bad_or_unevaluable_requests_are_a_400_saying_why(string filter, string reason)
    {
        await Client.CreateRunAsync(RunBodies.Outgoing());

        using var response = await Client.GetAsync("runs?$filter=" + Uri.EscapeDataString(filter));

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidQueryOption", "$filter");
        Assert.That((string?)error["message"], Does.Contain(reason));
    }

    [TestCase("$filter=case(true:1,false:0) eq 1", "case")]
    [TestCase("$filter=status has microsoft.graph.industryData.runStatus'completed'", "has")]
    [TestCase("$filter=matchesPattern(displayName,'^a.b','s')", "matchesPattern")]
    [TestCase("$filter=cast(startDateTime,Edm.String) eq 'x'", "cast")]
    [TestCase("$filter=cast(displayName,Edm.Date) eq 2026-01-01", "Edm.Date")]
    [TestCase("$filter=(endDateTime sub startDateTime) div 2 eq duration'PT1H'", "duration")]
    [TestCase("$filter=endDateTime sub startDateTime eq 'PT1H'", "duration")]
    [TestCase("$filter=endDateTime sub startDateTime in (duration'PT1H',duration'PT2H')", "durations")]
    [TestCase("$filter=geo.intersects(geography'SRID=4326;POINT(0 0)',geography'SRID=4326;POLYGON((0 0,1 0,1 1,0 0))')", "geo.intersects")]
    [TestCase("$orderby=length(displayName)", "expression")]
    [TestCase("$orderby=startDateTime add duration'P1D' desc", "expression")]
    public async Task Valid_syntax_the_service_does_not_evaluate_is_a_501_naming_it(string query, string construct)
    {
        await Client.CreateRunAsync(RunBodies.Outgoing());

        using var response = await Client.GetAsync("runs?" + string.Join('=', query.Split('=', 2).Select((part, i) => i == 0 ? part : Uri.EscapeDataString(part))));

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.NotImplemented, "queryFeatureNotSupported");
        Assert.That((string?)error["message"], Does.Contain(construct));
    }

    [Test]
    public async Task A_regular_expression_that_backtracks_too_long_is_a_400_and_frees_the_database()
    {
        await Client.CreateRunAsync(RunBodies.Outgoing().With("displayName", new string('a', 60) + "!"));

        using var response = await Client.GetAsync("runs?$filter=" + Uri.EscapeDataString("matchesPattern(displayName,'^(a+)+$')"));

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "queryTooExpensive", "$filter");
        Assert.That(await Client.GetJsonAsync("runs?$filter=" + Uri.EscapeDataString("matchesPattern(displayName,'^a+!$')")), Is.Not.Null);
    }
}
