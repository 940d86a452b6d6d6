using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Protocol;

/// <summary>
/// One OData version throughout: $metadata says 4.0, so every response is OData 4.0 JSON (@odata.context, @odata.count,
/// @odata.nextLink, ...) with OData-Version: 4.0, whatever version the client allows — a 4.01 client reads 4.0.
/// </summary>
public sealed class ODataVersionTests : ApiFixture
{
    public static IEnumerable<TestCaseData> Clients() =>
    [
        new TestCaseData("OData-MaxVersion", "4.01"),
        new TestCaseData("OData-Version", "4.01"),
        new TestCaseData("OData-MinVersion", "4.01"),
        new TestCaseData("OData-MaxVersion", "4.0"),
    ];

    [TestCaseSource(nameof(Clients))]
    public async Task Lists_single_runs_properties_and_writes_answer_in_4_0(string header, string version)
    {
        var created = await Client.CreateRunAsync(RunBodies.Outgoing());
        var id = (string)created["id"]!;
        var urls = new[]
        {
            "runs?$count=true&$top=1", "runs?$select=displayName", "runs?$format=application/json;odata.metadata=full",
            $"runs('{id}')", $"runs('{id}')?$select=status", $"runs('{id}')/displayName", $"runs('{id}')/statistics", "",
        };

        foreach (var url in urls)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation(header, version);
            request.Headers.TryAddWithoutValidation("Prefer", "odata.maxpagesize=1");
            using var response = await Client.SendAsync(request);
            await AssertVersion40Async(response, url);
        }

        using var create = await Client.SendJsonAsync(HttpMethod.Post, "runs", RunBodies.Incoming().ToJsonString(),
            headers: new Dictionary<string, string> { [header] = version, ["Accept"] = "application/json;odata.metadata=full" });
        await AssertVersion40Async(create, "POST runs");
        using var patch = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')", "{\"displayName\":\"x\"}",
            headers: new Dictionary<string, string> { [header] = version, ["Prefer"] = "return=representation" });
        await AssertVersion40Async(patch, "PATCH");
    }

    private static async Task AssertVersion40Async(HttpResponseMessage response, string url)
    {
        var text = await response.Content.ReadAsStringAsync();
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.AnyOf(200, 201), url + " " + text);
            Assert.That(response.Header("OData-Version"), Is.EqualTo("4.0"), url);
            Assert.That(body.ContainsKey("@odata.context"), Is.True, url + " " + text);
            Assert.That(body.Select(member => member.Key).Where(name => name.StartsWith('@') && !name.StartsWith("@odata.", StringComparison.Ordinal)),
                Is.Empty, url + " " + text);
            Assert.That(response.Content.Headers.ContentType?.Parameters.Any(p => p.Name.StartsWith("odata.", StringComparison.Ordinal)), Is.True, url);
        });
        var nested = body["value"] is JsonArray { Count: > 0 } items ? items[0]!.AsObject() : body;
        Assert.That(nested.Select(member => member.Key).Where(name => name.StartsWith('@') && !name.StartsWith("@odata.", StringComparison.Ordinal)),
            Is.Empty, url + " " + text);
    }

    [Test]
    public async Task The_metadata_document_says_version_4_0()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "$metadata");
        request.Headers.TryAddWithoutValidation("OData-MaxVersion", "4.01");

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Header("OData-Version"), Is.EqualTo("4.0"));
            Assert.That((string?)JsonNode.Parse(text)!["$Version"], Is.EqualTo("4.0"), text);
        });
    }
}
