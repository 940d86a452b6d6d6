using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;
using IndustryData.OData.Tests.Query;

namespace IndustryData.OData.Tests.Conformance.DataAggregation;

/// <summary>
/// OData Data Aggregation Extension 4.0 conformance (§8 and §3): a service MUST implement every transformation and
/// aggregation method it advertises in Aggregation.ApplySupported; $apply is evaluated first and the other system query
/// options on its result; /$count counts the result; a collection without $apply support answers 501.
/// The Protocol's §12 lists have no $apply item; these are the extension's own rules.
/// </summary>
public class DataAggregationTests : ApiFixture
{
    /// <summary>A request that exercises each transformation the service may advertise.</summary>
    private static readonly Dictionary<string, string> Uses = new(StringComparer.Ordinal)
    {
        ["aggregate"] = "aggregate($count as n,statistics/recordsSent with sum as s,statistics/recordsSent with min as lo,statistics/recordsSent with max as hi,statistics/recordsSent with average as a,displayName with countdistinct as d)",
        ["groupby"] = "groupby((status,blockingError/code),aggregate($count as n))",
        ["filter"] = "filter(status eq 'failed')/aggregate($count as n)",
        ["compute"] = "compute(year(startDateTime) as y)/groupby((y))",
        ["orderby"] = "groupby((status),aggregate($count as n))/orderby(n desc)",
        ["top"] = "groupby((status))/top(1)",
        ["skip"] = "groupby((status))/skip(1)",
        ["identity"] = "identity()/aggregate($count as n)",
    };

    [SetUp]
    public Task SeedAsync() => ApplyRuns.CreateAsync(Client);

    [Test]
    public async Task DataAggregation_every_transformation_ApplySupported_advertises_is_implemented()
    {
        var metadata = await Client.GetJsonAsync("$metadata?$format=application/json");
        var supported = metadata["microsoft.graph.industryData"]!["industryData"]!["runs"]!["@Aggregation.ApplySupported"]!;
        var transformations = supported["Transformations"]!.AsArray().Select(name => (string)name!).ToList();

        var answers = new List<(string Name, HttpStatusCode Status, string Text)>();
        foreach (var name in transformations.Where(Uses.ContainsKey))
        {
            using var response = await Client.GetAsync("runs?$apply=" + Uri.EscapeDataString(Uses[name]));
            answers.Add((name, response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        Assert.Multiple(() =>
        {
            Assert.That((string?)supported["Rollup"], Is.EqualTo("None"));
            Assert.That(supported["CustomAggregationMethods"]!.AsArray(), Is.Empty);
            Assert.That(transformations, Is.Not.Empty.And.All.Matches<string>(Uses.ContainsKey), "every advertised transformation has a request here");
            Assert.That(answers, Has.Count.EqualTo(transformations.Count));
            foreach (var (name, status, text) in answers)
            {
                Assert.That(status, Is.EqualTo(HttpStatusCode.OK), $"{name}: {text}");
                Assert.That(status == HttpStatusCode.OK ? JsonNode.Parse(text)!["value"]!.AsArray().Count : 0, Is.Positive, name);
            }
        });
    }

    [Test]
    public async Task DataAggregation_system_query_options_apply_to_the_result_of_apply()
    {
        var page = await Client.GetJsonAsync("runs?$apply=" + Uri.EscapeDataString("groupby((status),aggregate($count as n))")
            + "&$filter=" + Uri.EscapeDataString("n gt 1") + "&$orderby=" + Uri.EscapeDataString("n desc,status desc") + "&$top=1&$count=true");

        var groups = ApplyRuns.Rows.GroupBy(row => row.Status).Where(group => group.Count() > 1).ToList();
        var first = groups.OrderByDescending(group => group.Count()).ThenByDescending(group => Enum.Parse<IndustryData.OData.Model.Runs.RunStatus>(group.Key, ignoreCase: true)).First();
        Assert.Multiple(() =>
        {
            Assert.That((int)page["@odata.count"]!, Is.EqualTo(groups.Count));
            Assert.That(page["value"]!.AsArray().Select(item => (string)item!["status"]!), Is.EqualTo(new[] { first.Key }));
        });
    }

    [Test]
    public async Task DataAggregation_count_segment_is_the_number_of_instances_in_the_result()
    {
        using var response = await Client.GetAsync("runs/$count?$apply=" + Uri.EscapeDataString("filter(status ne 'running')/groupby((status))"), "text/plain");

        Assert.That(await response.Content.ReadAsStringAsync(),
            Is.EqualTo(ApplyRuns.Rows.Where(row => row.Status != "running").Select(row => row.Status).Distinct().Count().ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task DataAggregation_a_collection_without_apply_support_answers_501()
    {
        using var response = await Client.GetAsync("subscriptions?$apply=" + Uri.EscapeDataString("aggregate($count as n)"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotImplemented));
    }

    /// <summary>§3: "The system query option $apply MUST NOT be used if the resource path addresses a single instance" — a 400 naming $apply.</summary>
    [Test]
    public async Task DataAggregation_apply_on_a_single_instance_is_a_400()
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;

        using var response = await Client.GetAsync($"runs('{id}')?$apply=" + Uri.EscapeDataString("aggregate($count as n)"));

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "queryOptionNotApplicable", "$apply");
    }
}
