using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;
using static IndustryData.OData.Tests.Query.JsonRuns;

namespace IndustryData.OData.Tests.Conformance.QueryLanguage;

/// <summary>
/// OData Protocol §12 items about collection-valued and open values, on the runs of <see cref="Query.JsonRuns"/>
/// (blockingError/details is our only collection-valued property; statistics our only open type). Rows are computed in
/// .NET from the JSON the runs were created with. Items about navigation properties and $expand do not apply: the model
/// has no navigation properties.
/// </summary>
public class CollectionAndOpenValueTests : ApiFixture
{
    private Dictionary<string, string> ids = null!;

    [SetUp]
    public async Task SeedAsync() => ids = await CreateAsync(Client);

    /// <summary>4.0 Advanced item 5: the lambda operators any and all on collection-valued properties (URL Conventions §5.1.1.10).</summary>
    [Test]
    public async Task Advanced40_5_any_and_all_on_collection_valued_properties()
    {
        Assert.Multiple(async () =>
        {
            Assert.That(await NamesAsync("blockingError/details/any(d:d/code eq 'x' or d/target eq 't')"),
                Is.EquivalentTo(Where((s, e) => Details(e).Any(d => Text(d!["code"]) == "x" || Text(d["target"]) == "t"))));
            Assert.That(await NamesAsync("blockingError/details/all(d:d/code eq 'x')"),
                Is.EquivalentTo(Where((s, e) => e is not null && Details(e).All(d => Text(d!["code"]) == "x"))));
        });
    }

    /// <summary>4.01 Intermediate item 6 (SHOULD) and Advanced item 3 (MUST): the count of a filtered collection in a common expression.</summary>
    [Test]
    public async Task Advanced401_3_count_of_a_filtered_collection_in_an_expression()
    {
        Assert.Multiple(async () =>
        {
            Assert.That(await NamesAsync("blockingError/details/$count($filter=code eq 'x') ge 2"),
                Is.EquivalentTo(Where((s, e) => e is not null && Details(e).Count(d => Text(d!["code"]) == "x") >= 2)));
            Assert.That(await NamesAsync("blockingError/details/$count gt 1"), Is.EquivalentTo(Where((s, e) => e is not null && Details(e).Count > 1)));
        });
    }

    /// <summary>
    /// 4.01 Advanced item 5 (and Intermediate item 9): nested options in $select — 5.1 $filter (MUST), 5.2 $orderby, 5.3
    /// $count, 5.4 $top and $skip on the selected collection-valued property; 5.5 $search (on each detail's code and message).
    /// </summary>
    [Test]
    public async Task Advanced401_5_nested_options_in_select()
    {
        var run = await Client.GetJsonAsync($"runs('{ids["r4"]}')?$select=blockingError/details($filter=code eq 'x' or code eq 'z';$orderby=code;$skip=1;$top=5;$count=true)");
        var passing = Details(JsonNode.Parse(Rows[4].BlockingError!)!.AsObject()).Select(d => Text(d!["code"])!).Where(code => code is "x" or "z").ToList();
        var search = await Client.GetJsonAsync($"runs('{ids["r1"]}')?$select=" + Uri.EscapeDataString("blockingError/details($search=\"m2\")"));

        Assert.Multiple(() =>
        {
            Assert.That(run["blockingError"]!["details"]!.AsArray().Select(d => (string?)d!["code"]), Is.EqualTo(passing.Order(StringComparer.Ordinal).Skip(1).Take(5)));
            Assert.That((long?)run["blockingError"]!["details@odata.count"], Is.EqualTo(passing.Count));
            Assert.That(search["blockingError"]!["details"]!.AsArray().Select(d => (string?)d!["code"]), Is.EqualTo(new[] { "y" }));
        });
    }

    /// <summary>4.01 Intermediate item 7 (SHOULD, structural comparison) as far as the model has it: a complex value eq/ne null.</summary>
    [Test]
    public async Task Intermediate401_7_structural_comparison_with_null()
    {
        Assert.Multiple(async () =>
        {
            Assert.That(await NamesAsync("blockingError eq null"), Is.EquivalentTo(Where((s, e) => e is null)));
            Assert.That(await NamesAsync("statistics/perEntity ne null"), Is.EquivalentTo(Where((s, e) => s["perEntity"] is not null)));
        });
    }

    /// <summary>Dynamic properties of the open statistics in expressions (URL Conventions §5.1.1.15), typed by OData's rules.</summary>
    [Test]
    public async Task Dynamic_properties_in_filter_follow_the_typing_rules()
    {
        Assert.Multiple(async () =>
        {
            Assert.That(await NamesAsync("statistics/recordsFailed gt 0"), Is.EquivalentTo(Where((s, e) => Number(s["recordsFailed"]) > 0)));
            Assert.That(await NamesAsync("statistics/recordsFailed eq '3'"), Is.EquivalentTo(Where((s, e) => Text(s["recordsFailed"]) == "3")));
        });
    }

    /// <summary>
    /// Dynamic properties of the open statistics beyond $filter: in $orderby (4.0 Minimal item 9 / Intermediate: $orderby
    /// on any property a client can address; nulls first ascending), in $select (URL Conventions §5.1.3, nested too: only
    /// the selected members come back, missing ones are left out) and after in (URL Conventions §5.1.1.1.12).
    /// </summary>
    [Test]
    public async Task Dynamic_properties_in_orderby_select_and_in()
    {
        var sorted = await Client.GetJsonAsync("runs?$orderby=" + Uri.EscapeDataString("statistics/recordsFailed desc,displayName") + "&$select=displayName,statistics/perEntity/students");
        var names = sorted["value"]!.AsArray().Select(run => (string)run!["displayName"]!).ToList();

        Assert.Multiple(async () =>
        {
            // Strings after numbers after null or missing; descending reverses it, ties by name (then id).
            Assert.That(names, Is.EqualTo(new[] { "r2", "r4", "r1", "r0", "r3", "r5" }));
            Assert.That(JsonNode.DeepEquals(sorted["value"]![0]!["statistics"], JsonNode.Parse("{}")), Is.True);
            Assert.That(JsonNode.DeepEquals(sorted["value"]![1]!["statistics"], JsonNode.Parse("""{"perEntity":{"students":12}}""")), Is.True);
            Assert.That(await NamesAsync("statistics/recordsFailed in (3, '3', 7.5)"),
                Is.EquivalentTo(Where((s, e) => Number(s["recordsFailed"]) is 3 or 7.5 || Text(s["recordsFailed"]) == "3")));
        });
    }

    /// <summary>4.01 Advanced item 4 (MUST): $compute, its properties in $select, $filter and $orderby (Query/ComputeTests has the rest).</summary>
    [Test]
    public async Task Advanced401_4_compute()
    {
        var page = await Client.GetJsonAsync("runs?$compute=" + Uri.EscapeDataString("length(displayName) as n") + "&$filter=" + Uri.EscapeDataString("n ge 0")
            + "&$orderby=" + Uri.EscapeDataString("n desc") + "&$select=n,displayName");

        var runs = page["value"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(runs, Has.Count.EqualTo(ids.Count));
            Assert.That(runs.Select(run => (int?)run!["n"]), Is.EqualTo(runs.Select(run => ((string)run!["displayName"]!).Length as int?)));
            Assert.That(runs.Select(run => (int)run!["n"]!), Is.Ordered.Descending);
        });
    }

    private async Task<string[]> NamesAsync(string filter)
    {
        var page = await Client.GetJsonAsync("runs?$filter=" + Uri.EscapeDataString(filter));
        var names = ids.ToDictionary(pair => pair.Value, pair => pair.Key);
        return [.. page["value"]!.AsArray().Select(run => names[(string)run!["id"]!])];
    }
}
