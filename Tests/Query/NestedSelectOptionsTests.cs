using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;
using static IndustryData.OData.Tests.Query.JsonRuns;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// Options nested in $select on the collection-valued blockingError/details (URL Conventions §5.1.3; 4.01 Advanced #5):
/// $filter, $search, $orderby, $skip, $top, $count and $select apply to each run's details; $count gives details@odata.count
/// ($search: DetailsSearchTests).
/// Expected details are computed here from the JSON the runs were created with.
/// </summary>
public class NestedSelectOptionsTests : ApiFixture
{
    [Test]
    public async Task Filter_inside_select_keeps_only_the_matching_details_of_each_run()
    {
        var ids = await CreateAsync(Client);

        var page = await Client.GetJsonAsync("runs?$select=id,blockingError/details($filter=code eq 'x')&$filter=blockingError ne null");

        TestContext.Out.WriteLine(page.ToJsonString());
        foreach (var (name, _, _, error) in Rows.Where(row => row.BlockingError is not null))
        {
            var run = page["value"]!.AsArray().Single(run => (string)run!["id"]! == ids[name])!;
            var expected = Details(JsonNode.Parse(error!)!.AsObject()).Where(d => Text(d!["code"]) == "x").Count();
            Assert.That(run["blockingError"]!["details"]!.AsArray().Select(d => (string?)d!["code"]), Is.EqualTo(Enumerable.Repeat("x", expected)), name);
        }
    }

    [Test]
    public async Task Orderby_skip_top_and_count_inside_select_page_the_details_and_count_those_that_pass_the_filter()
    {
        var ids = await CreateAsync(Client);

        var run = await Client.GetJsonAsync($"runs('{ids["r4"]}')?$select=blockingError/details($filter=code ne 'y';$orderby=code desc;$skip=1;$top=1;$count=true)");

        TestContext.Out.WriteLine(run.ToJsonString());
        var all = Details(JsonNode.Parse(Rows[4].BlockingError!)!.AsObject()).Select(d => Text(d!["code"])!).Where(code => code != "y").ToList();
        var expected = all.OrderDescending(StringComparer.Ordinal).Skip(1).Take(1);
        Assert.Multiple(() =>
        {
            Assert.That(run["blockingError"]!["details"]!.AsArray().Select(d => (string?)d!["code"]), Is.EqualTo(expected));
            Assert.That((long?)run["blockingError"]!["details@odata.count"], Is.EqualTo(all.Count));
        });
    }

    [Test]
    public async Task Select_inside_select_returns_only_the_chosen_properties_of_each_detail()
    {
        var ids = await CreateAsync(Client);

        var run = await Client.GetJsonAsync($"runs('{ids["r1"]}')?$select=blockingError/details($select=code)");

        TestContext.Out.WriteLine(run.ToJsonString());
        Assert.That(run["blockingError"]!["details"]!.AsArray().Select(d => string.Join(",", d!.AsObject().Select(member => member.Key))), Is.EqualTo(new[] { "code", "code" }));
    }

    [Test]
    public async Task A_parameter_alias_stands_for_its_value_inside_nested_options()
    {
        var ids = await CreateAsync(Client);

        var run = await Client.GetJsonAsync($"runs('{ids["r4"]}')?$select=blockingError/details($filter=code eq @c)&@c='z'");

        Assert.That(run["blockingError"]!["details"]!.AsArray().Select(d => (string?)d!["code"]), Is.EqualTo(new[] { "z" }));
    }

    [Test]
    public async Task Compute_inside_select_is_a_501()
    {
        using var response = await Client.GetAsync("runs?$select=" + Uri.EscapeDataString("blockingError/details($compute=length(code) as n)"));

        await response.AssertGraphErrorAsync(HttpStatusCode.NotImplemented, "queryFeatureNotSupported", "$select");
    }
}
