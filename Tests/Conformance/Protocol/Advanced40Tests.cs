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
    /// 9. MUST support $expand (§11.2.5.2, URL Conventions §5.1.3). No entity type has navigation properties, so every
    /// star form expands nothing: the response is exactly the one without $expand, on the set, a type cast and one run
    /// (9.1 references, */$ref, included); a named item is a 400 (9.2–9.9: NotApplicable). On $crossjoin(runs), whose rows
    /// have the navigation property runs, $expand inlines the run, its reference (9.1) or only runs of a derived type (9.3).
    /// </summary>
    [Test]
    public async Task Advanced40_9_expand()
    {
        var id = await CreateAsync();
        var forms = new[] { "*", "*/$ref", "*($levels=2)", "blockingError/*" };
        foreach (var url in new[] { "runs", $"runs/{Cast}", $"runs('{id}')", $"runs('{id}')?$select=status" })
        {
            using var plain = await Client.GetAsync(url);
            var expected = await plain.Content.ReadAsStringAsync();
            foreach (var expand in forms)
            {
                using var expanded = await Client.GetAsync($"{url}{(url.Contains('?', StringComparison.Ordinal) ? '&' : '?')}$expand={Uri.EscapeDataString(expand)}");
                Assert.That(await expanded.Content.ReadAsStringAsync(), Is.EqualTo(expected), $"{url} $expand={expand}");
            }
        }

        var references = await Client.GetJsonAsync($"$crossjoin(runs)?$expand=runs/$ref&$filter=runs/id eq '{id}'");
        var cast = await Client.GetJsonAsync($"$crossjoin(runs)?$expand=runs/{Cast}($select=status)&$filter=runs/id eq '{id}'");
        using var named = await Client.GetAsync("runs?$expand=statistics");

        Assert.Multiple(async () =>
        {
            Assert.That((string?)references["value"]![0]!["runs"]!["@odata.id"], Is.EqualTo($"runs('{id}')"));
            Assert.That(cast["value"]![0]!["runs"]!.AsObject().Select(member => member.Key), Is.EqualTo(new[] { "@odata.type", "@odata.etag", "id", "status" }));
            await named.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidQueryOption", "$expand");
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
