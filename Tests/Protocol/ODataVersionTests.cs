using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Protocol;

/// <summary>
/// One payload shape throughout: every response is JSON with the odata. prefix (@odata.context, @odata.count,
/// @odata.nextLink, ...), which 4.0 requires and 4.01 allows, whatever version the client allows. OData-Version says
/// 4.01 to a client whose OData-MaxVersion allows it, 4.0 to every other (OData-Version or OData-MinVersion alone do not).
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
    public async Task Lists_single_runs_properties_and_writes_answer_with_4_0_payloads(string header, string version)
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
            await AssertVersion40Async(response, url, Expected(header, version));
        }

        using var create = await Client.SendJsonAsync(HttpMethod.Post, "runs", RunBodies.Incoming().ToJsonString(),
            headers: new Dictionary<string, string> { [header] = version, ["Accept"] = "application/json;odata.metadata=full" });
        await AssertVersion40Async(create, "POST runs", Expected(header, version));
        using var patch = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')", "{\"displayName\":\"x\"}",
            headers: new Dictionary<string, string> { [header] = version, ["Prefer"] = "return=representation" });
        await AssertVersion40Async(patch, "PATCH", Expected(header, version));
    }

    private static string Expected(string header, string version) => header == "OData-MaxVersion" && version == "4.01" ? "4.01" : "4.0";

    private static async Task AssertVersion40Async(HttpResponseMessage response, string url, string headerVersion)
    {
        var text = await response.Content.ReadAsStringAsync();
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.AnyOf(200, 201), url + " " + text);
            Assert.That(response.Header("OData-Version"), Is.EqualTo(headerVersion), url);
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
    public async Task The_metadata_document_is_csdl_4_0_for_a_4_01_client_too()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "$metadata");
        request.Headers.TryAddWithoutValidation("OData-MaxVersion", "4.01");

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Header("OData-Version"), Is.EqualTo("4.01"));
            Assert.That((string?)JsonNode.Parse(text)!["$Version"], Is.EqualTo("4.0"), text);
        });
    }
}
