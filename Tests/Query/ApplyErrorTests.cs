using System.Net;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// $apply that this service does not evaluate is a 501 naming it (valid OData, never a 400); $apply that is not valid
/// is a 400 saying how to fix it. Nothing here may be a 500.
/// </summary>
public class ApplyErrorTests : ApiFixture
{
    [SetUp]
    public Task SeedAsync() => Client.CreateRunAsync(RunBodies.Outgoing());

    [TestCase("search(roster)", "search")]
    [TestCase("filter(status eq 'failed')/search(roster)/aggregate($count as n)", "search")]
    [TestCase("topcount(2,statistics/rowsRead)", "topcount")]
    [TestCase("bottomsum(10,statistics/rowsRead)", "bottomsum")]
    [TestCase("concat(aggregate($count as n),groupby((status)))", "concat")]
    [TestCase("groupby((rollup(status,displayName)),aggregate($count as n))", "rollup")]
    [TestCase("aggregate(statistics/rowsRead with sum from status with average as x)", "from")]
    [TestCase("aggregate(statistics/rowsRead with Custom.concat as x)", "Custom.concat")]
    [TestCase("groupby((status),filter(displayName eq 'x')/aggregate($count as n))", "inside groupby")]
    [TestCase("expand(blockingError,filter(code eq 'x'))", "expand")]
    [TestCase("groupby((microsoft.graph.industryData.outgoingFlowRun/status))", "type-cast")]
    [TestCase("filter(status eq 'failed')", "without aggregate or groupby")]
    [TestCase("compute(length(displayName) as l)/aggregate(l with sum as s)", "length")]
    public async Task Not_evaluated_is_a_501_naming_it(string apply, string named)
    {
        using var response = await Client.GetAsync("runs?$apply=" + Uri.EscapeDataString(apply));

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.NotImplemented, "queryFeatureNotSupported", "$apply");
        Assert.That((string?)error["message"], Does.Contain(named));
    }

    [TestCase("$select=status", "$select")]
    [TestCase("$compute=year(startDateTime) as y", "$compute")]
    [TestCase("$search=roster", "$search")]
    public async Task An_option_that_does_not_combine_with_apply_is_a_501(string option, string name)
    {
        using var response = await Client.GetAsync("runs?$apply=" + Uri.EscapeDataString("groupby((status))") + "&" + option);

        await response.AssertGraphErrorAsync(HttpStatusCode.NotImplemented, "queryFeatureNotSupported", name);
    }

    [TestCase("groupby((status),", "'('")]
    [TestCase("groupby((status)", "'('")]
    [TestCase("", "empty")]
    [TestCase("frobnicate(status)", "not a transformation")]
    [TestCase("status", "not a transformation")]
    [TestCase("top(-1)", "non-negative integer")]
    [TestCase("groupby((nope),aggregate($count as n))", "nope")]
    [TestCase("aggregate(displayName with sum as s)", "numbers")]
    [TestCase("groupby((status),aggregate($count as n))/filter(displayName eq 'x')", "aggregated away")]
    [TestCase("aggregate($count as status)", "alias status")]
    [TestCase("groupby((status),aggregate($count as n,$count as n))", "twice")]
    [TestCase("aggregate(statistics/rowsRead with sum)", "as")]
    public async Task Malformed_apply_is_a_400_saying_how_to_fix_it(string apply, string hint)
    {
        using var response = await Client.GetAsync("runs?$apply=" + Uri.EscapeDataString(apply));

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidQueryOption", "$apply");
        Assert.That((string?)error["message"], Does.Contain(hint));
    }

    [Test]
    public async Task A_filter_on_a_property_the_apply_aggregated_away_is_a_400()
    {
        using var response = await Client.GetAsync("runs?$apply=" + Uri.EscapeDataString("groupby((status),aggregate($count as n))") + "&$filter=" + Uri.EscapeDataString("displayName eq 'x'"));

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidQueryOption", "$filter");
        Assert.That((string?)error["message"], Does.Contain("aggregated away"));
    }

    [Test]
    public async Task Apply_given_twice_is_a_400()
    {
        using var response = await Client.GetAsync("runs?$apply=" + Uri.EscapeDataString("groupby((status))") + "&$apply=" + Uri.EscapeDataString("groupby((status))"));

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "duplicateQueryOption", "$apply");
    }

    [Test]
    public async Task Top_over_the_maximum_is_a_400()
    {
        using var response = await Client.GetAsync("runs?$apply=" + Uri.EscapeDataString("groupby((status))") + "&$top=1001");

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "topTooLarge", "$top");
    }

    /// <summary>Data Aggregation §3: "$apply MUST NOT be used if the resource path addresses a single instance".</summary>
    [TestCase("")]
    [TestCase("/microsoft.graph.industryData.outgoingFlowRun")]
    [TestCase("/statistics")]
    public async Task Apply_on_one_run_is_a_400_pointing_to_the_set(string rest)
    {
        var id = (string)(await Client.GetJsonAsync("runs"))["value"]![0]!["id"]!;

        using var response = await Client.GetAsync($"runs('{id}'){rest}?$apply=" + Uri.EscapeDataString("aggregate($count as n)"));

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "queryOptionNotApplicable", "$apply");
        Assert.That((string?)error["message"], Does.Contain("GET runs?$apply="));
    }
}
