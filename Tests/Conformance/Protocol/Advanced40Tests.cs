using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Conformance.Protocol;

/// <summary>OData 4.0 Advanced Conformance Level (OData Protocol §12.1.3), the items this suite's features touch.</summary>
public sealed class Advanced40Tests : ApiFixture
{
    private const string Cast = "microsoft.graph.industryData.outgoingFlowRun";

    private async Task<string> CreateAsync() => (string)(await Client.CreateRunAsync(RunBodies.Outgoing()
        .With("blockingError", new JsonObject
        {
            ["code"] = "quotaExceeded",
            ["details"] = new JsonArray(new JsonObject { ["code"] = "a" }, new JsonObject { ["code"] = "b" }, new JsonObject { ["code"] = "c" }),
        })
        .With("statistics", new JsonObject { ["perEntity"] = new JsonObject { ["students"] = 900 } })))["id"]!;

    /// <summary>4. MUST support the /$count segment on navigation and collection properties (§11.2.10).</summary>
    [Test]
    public async Task Advanced40_4_count_on_collection_valued_properties()
    {
        var id = await CreateAsync();

        using var count = await Client.GetAsync($"runs('{id}')/blockingError/details/$count", "text/plain");
        var inline = await Client.GetJsonAsync($"runs('{id}')/blockingError/details?$count=true&$top=1");

        Assert.Multiple(async () =>
        {
            Assert.That(count.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(await count.Content.ReadAsStringAsync(), Is.EqualTo("3"));
            Assert.That((int?)inline["@odata.count"], Is.EqualTo(3));
            Assert.That(inline["value"]!.AsArray(), Has.Count.EqualTo(1));
        });
    }

    /// <summary>
    /// 12. MUST support the resource path conventions of OData-URL: every key form and type cast that addresses a run,
    /// then properties, members of complex and open values, a collection property and /$value, /$count.
    /// </summary>
    [Test]
    public async Task Advanced40_12_resource_path_conventions()
    {
        var id = await CreateAsync();
        var runForms = new[] { $"runs('{id}')", $"runs/{id}", $"runs(id='{id}')", $"runs('{id}')/{Cast}", $"runs/{Cast}('{id}')", $"runs/{Cast}/{id}" };

        foreach (var run in runForms)
        {
            using var code = await Client.GetAsync($"{run}/blockingError/code", "application/json");
            using var member = await Client.GetAsync($"{run}/statistics/perEntity/students/$value", "text/plain");
            using var details = await Client.GetAsync($"{run}/blockingError/details?$filter=code ne 'a'", "application/json");
            using var count = await Client.GetAsync($"{run}/blockingError/details/$count", "text/plain");

            Assert.Multiple(async () =>
            {
                Assert.That((string?)JsonNode.Parse(await code.Content.ReadAsStringAsync())!["value"], Is.EqualTo("quotaExceeded"), run);
                Assert.That(await member.Content.ReadAsStringAsync(), Is.EqualTo("900"), run);
                Assert.That(JsonNode.Parse(await details.Content.ReadAsStringAsync())!["value"]!.AsArray(), Has.Count.EqualTo(2), run);
                Assert.That(await count.Content.ReadAsStringAsync(), Is.EqualTo("3"), run);
            });
        }

        using var missingRun = await Client.GetAsync("runs('missing')/blockingError/code", "application/json");
        Assert.That(missingRun.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
