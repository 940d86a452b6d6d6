using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Conformance.Protocol;

/// <summary>OData 4.0 Intermediate Conformance Level (OData Protocol §12.1.2), the items this suite's features touch.</summary>
public sealed class Intermediate40Tests : ApiFixture
{
    private async Task<string> CreateAsync() => (string)(await Client.CreateRunAsync(RunBodies.Outgoing()
        .With("blockingError", new JsonObject
        {
            ["code"] = "quotaExceeded",
            ["details"] = new JsonArray(new JsonObject { ["code"] = "a", ["target"] = "x" }, new JsonObject { ["code"] = "b" }),
        })
        .With("statistics", new JsonObject { ["rowsRead"] = 1200, ["perEntity"] = new JsonObject { ["students"] = 900 } })))["id"]!;

    /// <summary>6. MUST support /$value on individual properties (§11.2.6.1): the raw value of a primitive, as text/plain, wherever it is.</summary>
    [Test]
    public async Task Intermediate40_6_value_of_individual_property()
    {
        var id = await CreateAsync();

        foreach (var (path, raw) in new[]
        {
            ("displayName", "Nightly export"), ("status", "completed"), ("blockingError/code", "quotaExceeded"),
            ("statistics/rowsRead", "1200"), ("statistics/perEntity/students", "900"),
        })
        {
            using var response = await Client.GetAsync($"runs('{id}')/{path}/$value", "text/plain");
            var text = await response.Content.ReadAsStringAsync();

            Assert.Multiple(() =>
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
                Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"), path);
                Assert.That(text, Is.EqualTo(raw), path);
            });
        }

        using var nullValue = await Client.GetAsync($"runs('{id}')/blockingError/target/$value", "text/plain");
        Assert.That(nullValue.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "a null value is 204 (§11.2.6)");
    }

    /// <summary>16. SHOULD support the /$count segment on navigation and collection properties (§11.2.10), after $filter.</summary>
    [Test]
    public async Task Intermediate40_16_count_segment_on_collection_properties()
    {
        var id = await CreateAsync();

        using var all = await Client.GetAsync($"runs('{id}')/blockingError/details/$count", "text/plain");
        using var filtered = await Client.GetAsync($"runs('{id}')/blockingError/details/$count?$filter=target ne null", "text/plain");

        Assert.Multiple(async () =>
        {
            Assert.That(await all.Content.ReadAsStringAsync(), Is.EqualTo("2"));
            Assert.That(await filtered.Content.ReadAsStringAsync(), Is.EqualTo("1"));
        });
    }
}
