using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Query;

/// <summary>Each query feature of contract §4 on a seeded mix of both types, checking exact ids and order.</summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class QueryTests(TestProvider provider) : ApiFixture(provider)
{
    private Dictionary<string, string> ids = null!;

    [SetUp]
    public async Task SeedAsync() => ids = await SeededRuns.CreateAsync(Client);

    private async Task<string[]> NamesAsync(string url)
    {
        var page = await Client.GetJsonAsync(url);
        var byId = ids.ToDictionary(pair => pair.Value, pair => pair.Key);
        return page["value"]!.AsArray().Select(run => byId[(string)run!["id"]!]).ToArray();
    }

    private static string Q(string query) => "runs?" + query.Replace(" ", "%20", StringComparison.Ordinal).Replace("'", "%27", StringComparison.Ordinal).Replace("+", "%2B", StringComparison.Ordinal);

    [TestCase("status eq 'completed'", "A,F")]
    [TestCase("status eq microsoft.graph.industryData.runStatus'failed'", "C")]
    [TestCase("status ne 'completed'", "B,C,D,E")]
    [TestCase("status gt microsoft.graph.industryData.runStatus'failed'", "A,D,E,F")]
    [TestCase("status in ('failed','running')", "B,C")]
    [TestCase("status in (microsoft.graph.industryData.runStatus'completedWithErrors')", "D")]
    [TestCase("displayName eq 'Bravo import'", "B")]
    [TestCase("displayName ne 'Bravo import' and displayName lt 'D'", "A,C")]
    [TestCase("contains(displayName,'export')", "A,C,E")]
    [TestCase("startswith(displayName,'Fox')", "F")]
    [TestCase("endswith(displayName,'import')", "B,D,F")]
    [TestCase("startDateTime ge 2026-01-03T00:00:00Z and startDateTime lt 2026-01-05T00:00:00Z", "C,D")]
    [TestCase("startDateTime gt 2026-01-04T01:00:00+02:00", "D,E,F")]
    [TestCase("startDateTime le 2026-01-02T00:00:00Z", "A,B")]
    [TestCase("endDateTime eq null", "B")]
    [TestCase("endDateTime ne null and endDateTime lt 2026-01-04T00:00:00Z", "A,C")]
    [TestCase("not (status eq 'completed') and isof('microsoft.graph.industryData.outgoingFlowRun')", "C,E")]
    [TestCase("status eq 'failed' or status eq 'running'", "B,C")]
    [TestCase("isof('microsoft.graph.industryData.incomingFlowRun')", "B,D,F")]
    [TestCase("isof($it,'microsoft.graph.industryData.outgoingFlowRun')", "A,C,E")]
    [TestCase("cast($it,'microsoft.graph.industryData.outgoingFlowRun') ne null", "A,C,E")]
    [TestCase("cast('microsoft.graph.industryData.outgoingFlowRun') eq null", "B,D,F")]
    [TestCase("cast($it,'microsoft.graph.industryData.incomingFlowRun')/status eq 'completed'", "F")]
    [TestCase("microsoft.graph.industryData.outgoingFlowRun/status eq 'completed'", "A")]
    public async Task Filter_returns_exactly_the_matching_runs_in_key_order(string filter, string expected)
    {
        var names = await NamesAsync(Q($"$filter={filter}&$orderby=startDateTime"));

        Assert.That(names, Is.EqualTo(expected.Split(',')));
    }

    [Test]
    public async Task Filter_on_id_finds_one_run()
    {
        var names = await NamesAsync(Q($"$filter=id eq '{ids["D"]}'"));

        Assert.That(names, Is.EqualTo(new[] { "D" }));
    }

    [Test]
    public async Task Every_item_of_the_base_set_carries_its_concrete_type()
    {
        var page = await Client.GetJsonAsync(Q("$orderby=startDateTime"));

        Assert.That(page["value"]!.AsArray().Select(run => (string?)run!["@odata.type"]), Is.EqualTo(new[]
        {
            RunBodies.OutgoingType, RunBodies.IncomingType, RunBodies.OutgoingType, RunBodies.IncomingType, RunBodies.OutgoingType, RunBodies.IncomingType,
        }));
    }

    [TestCase("runs/microsoft.graph.industryData.outgoingFlowRun?$orderby=startDateTime", "A,C,E")]
    [TestCase("runs/microsoft.graph.industryData.incomingFlowRun?$orderby=startDateTime%20desc", "F,D,B")]
    [TestCase("runs/microsoft.graph.industryData.incomingFlowRun?$filter=status%20eq%20%27completed%27", "F")]
    public async Task Type_cast_segment_lists_only_that_type(string url, string expected)
    {
        var page = await Client.GetJsonAsync(url);
        var names = await NamesAsync(url);

        Assert.That(names, Is.EqualTo(expected.Split(',')));
        Assert.That((string?)page["@odata.context"], Does.Contain("#runs/microsoft.graph.industryData."));
    }

    [TestCase("status desc,displayName", "E,D,A,F,C,B")]
    [TestCase("status,startDateTime desc", "B,C,F,A,D,E")]
    [TestCase("endDateTime desc", "F,E,D,C,A,B")]
    [TestCase("displayName desc", "F,E,D,C,B,A")]
    public async Task Orderby_with_several_keys_orders_exactly(string orderBy, string expected)
    {
        var names = await NamesAsync(Q($"$orderby={orderBy}"));

        Assert.That(names, Is.EqualTo(expected.Split(',')));
    }

    [Test]
    public async Task Top_and_skip_page_through_an_ordered_set()
    {
        var first = await NamesAsync(Q("$orderby=startDateTime&$top=2"));
        var middle = await NamesAsync(Q("$orderby=startDateTime&$top=2&$skip=2"));
        var rest = await NamesAsync(Q("$orderby=startDateTime&$skip=4"));

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new[] { "A", "B" }));
            Assert.That(middle, Is.EqualTo(new[] { "C", "D" }));
            Assert.That(rest, Is.EqualTo(new[] { "E", "F" }));
        });
    }

    [Test]
    public async Task Count_true_counts_all_matches_regardless_of_top()
    {
        var page = await Client.GetJsonAsync(Q("$filter=contains(displayName,'import')&$count=true&$top=1&$orderby=startDateTime"));

        Assert.Multiple(() =>
        {
            Assert.That((int?)page["@odata.count"], Is.EqualTo(3));
            Assert.That(page["value"]!.AsArray(), Has.Count.EqualTo(1));
        });
    }

    [TestCase("runs/$count", "6")]
    [TestCase("runs/$count?$filter=status%20eq%20%27completed%27", "2")]
    [TestCase("runs/microsoft.graph.industryData.outgoingFlowRun/$count", "3")]
    public async Task Dollar_count_segment_returns_a_plain_number(string url, string expected)
    {
        using var response = await Client.GetODataAsync(url);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(expected));
        });
    }

    [Test]
    public async Task Select_returns_only_the_selected_properties_with_control_information()
    {
        var page = await Client.GetJsonAsync(Q("$select=displayName,status&$orderby=startDateTime&$top=1"));
        var run = page["value"]![0]!.AsObject();

        Assert.Multiple(() =>
        {
            Assert.That((string?)page["@odata.context"], Does.EndWith("$metadata#runs(displayName,status)"));
            Assert.That(run.Select(p => p.Key), Is.EquivalentTo(new[] { "@odata.type", "@odata.etag", "displayName", "status" }));
            Assert.That((string?)run["displayName"], Is.EqualTo("Alpha export"));
        });
    }

    [Test]
    public async Task Select_with_a_type_qualified_property_selects_it_on_that_type()
    {
        var page = await Client.GetJsonAsync(Q("$select=id,microsoft.graph.industryData.outgoingFlowRun/displayName&$orderby=startDateTime&$top=2"));
        var runs = page["value"]!.AsArray();

        Assert.Multiple(() =>
        {
            Assert.That((string?)runs[0]!["displayName"], Is.EqualTo("Alpha export"));
            Assert.That(runs[0]!.AsObject().ContainsKey("status"), Is.False);
            Assert.That(runs[1]!.AsObject().ContainsKey("displayName"), Is.False, "incoming runs do not get the outgoing-only selection");
            Assert.That((string?)runs[1]!["id"], Is.EqualTo(ids["B"]));
        });
    }

    [Test]
    public async Task Select_applies_to_a_single_run_too()
    {
        var run = await Client.GetJsonAsync($"runs('{ids["C"]}')?$select=status");

        Assert.That(run.Where(p => !p.Key.StartsWith('@')).Select(p => p.Key), Is.EqualTo(new[] { "status" }));
    }

    /// <summary>Members of statistics filter in the database (they were a 400 before; JsonMemberFilterTests covers the shapes).</summary>
    [Test]
    public async Task A_statistics_member_filters_the_list()
    {
        var page = await Client.GetJsonAsync(Q("$filter=statistics/name eq 'A'"));

        Assert.That(page["value"]!.AsArray().Select(run => (string)run!["id"]!), Is.EqualTo(new[] { ids["A"] }));
    }

    [TestCase("$top=1001", "topTooLarge", "$top")]
    [TestCase("$top=-1", "invalidQueryOption", "$top")]
    [TestCase("$skip=abc", "invalidQueryOption", "$skip")]
    [TestCase("$filter=nope eq 1", "invalidQueryOption", "$filter")]
    [TestCase("$filter=status eq", "invalidQueryOption", "$filter")]
    [TestCase("$filter=status eq 'paused'", "invalidQueryOption", "$filter")]
    [TestCase("$orderby=statistics", "invalidQueryOption", "$orderby")]
    [TestCase("$orderby=nope", "invalidQueryOption", "$orderby")]
    [TestCase("$select=nope", "invalidQueryOption", "$select")]
    [TestCase("$count=maybe", "invalidQueryOption", "$count")]
    [TestCase("$bogus=1", "unknownQueryOption", "$bogus")]
    [TestCase("$expand=statistics", "invalidQueryOption", "$expand")]
    public async Task Malformed_query_options_are_a_400_naming_the_option(string query, string innerCode, string target)
    {
        using var response = await Client.GetAsync(Q(query));

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, innerCode, target);
    }

    [TestCase("$index=1")]
    [TestCase("$schemaversion=1")]
    public async Task Unsupported_query_options_are_a_501(string query)
    {
        using var response = await Client.GetAsync(Q(query));

        await response.AssertGraphErrorAsync(HttpStatusCode.NotImplemented, "queryOptionNotSupported");
    }
}
