using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Protocol;

/// <summary>
/// Accept and $format (OData Protocol §8.2.1, §11.2.11; contract §6): a format the resource does not produce is a 406
/// in the Graph error shape, naming what it produces; every way of asking for what it does produce keeps working.
/// </summary>
public sealed class FormatNegotiationTests : ApiFixture
{
    private string id = null!;

    [SetUp]
    public async Task CreateRunAsync() => id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;

    [TestCase("runs", "application/atom+xml", "application/json")]
    [TestCase("runs", "application/xml", "application/json")]
    [TestCase("runs", "text/plain", "application/json")]
    [TestCase("runs", "text/*", "application/json")]
    [TestCase("runs", "application/json;q=0", "application/json")]
    [TestCase("runs", "application/json;odata.metadata=verbose", "odata.metadata=minimal|full|none")]
    [TestCase("runs", "application/json;odata.unknown=1", "application/json")]
    [TestCase("runs('{id}')", "application/xml", "application/json")]
    [TestCase("runs('{id}')/displayName", "application/atom+xml", "application/json")]
    [TestCase("runs('{id}')/displayName/$value", "application/json", "text/plain")]
    [TestCase("runs/$count", "application/xml", "text/plain")]
    [TestCase("runs/delta()", "application/xml", "application/json")]
    [TestCase("", "application/xml", "application/json")]
    [TestCase("$metadata", "application/atom+xml", "application/xml or application/json")]
    [TestCase("$metadata", "text/html", "application/xml or application/json")]
    public async Task An_accept_header_naming_no_format_the_resource_produces_is_a_406(string url, string accept, string produced)
    {
        using var response = await Client.GetAsync(url.Replace("{id}", id, StringComparison.Ordinal), accept);

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.NotAcceptable, "unsupportedFormat", "Accept");
        Assert.That((string?)error["message"], Does.Contain(produced));
    }

    [TestCase("runs?$format=atom")]
    [TestCase("runs?$format=xml")]
    [TestCase("runs?$format=application/xml")]
    [TestCase("runs?$format=application/json;odata.metadata=verbose")]
    [TestCase("runs?format=atom")]
    [TestCase("runs('{id}')?$format=atom")]
    [TestCase("runs('{id}')/status/$value?$format=json")]
    [TestCase("$metadata?$format=atom")]
    public async Task A_format_option_naming_no_format_the_resource_produces_is_a_406(string url)
    {
        using var response = await Client.GetAsync(url.Replace("{id}", id, StringComparison.Ordinal));

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.NotAcceptable, "unsupportedFormat", "$format");
        Assert.That((string?)error["message"], Does.Contain("It answers"));
    }

    [TestCase("runs", "*/*")]
    [TestCase("runs", "application/*")]
    [TestCase("runs", "application/json;odata.metadata=minimal")]
    [TestCase("runs", "application/json;odata.metadata=full;odata.streaming=true")]
    [TestCase("runs", "application/json;metadata=none")]
    [TestCase("runs", "application/json;IEEE754Compatible=true;charset=utf-8")]
    [TestCase("runs", "application/xml;q=0.9, application/json;q=0.1")]
    [TestCase("runs", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")]
    [TestCase("runs('{id}')", "application/json")]
    [TestCase("runs('{id}')/displayName", "application/json")]
    [TestCase("runs('{id}')/displayName/$value", "text/plain")]
    [TestCase("runs('{id}')/displayName/$value", "application/json, text/plain;q=0.5")]
    [TestCase("runs('{id}')/displayName/$value", "*/*")]
    [TestCase("runs/$count", "text/*")]
    [TestCase("", "application/json")]
    [TestCase("health", "application/xml")]
    [TestCase("$openapi", "application/json")]
    public async Task An_accept_header_allowing_a_produced_format_is_answered(string url, string accept)
    {
        using var response = await Client.GetAsync(url.Replace("{id}", id, StringComparison.Ordinal), accept);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task No_accept_header_is_answered_in_json()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "runs");
        request.Headers.Accept.Clear();
        using var response = await Client.SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        });
    }

    [TestCase("$format=json", "application/xml")]
    [TestCase("$format=application/json;odata.metadata=full", "application/atom+xml")]
    public async Task A_format_option_the_resource_produces_wins_over_accept(string format, string accept)
    {
        using var response = await Client.GetAsync("runs?" + format, accept);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        });
    }

    [TestCase("application/json", "application/json")]
    [TestCase("application/xml", "application/xml")]
    [TestCase("application/xml;q=0.5, application/json", "application/json")]
    [TestCase("*/*", "application/xml")]
    public async Task Metadata_still_negotiates_xml_and_json(string accept, string mediaType)
    {
        using var response = await Client.GetAsync("$metadata", accept);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(mediaType));
        });
    }

    [Test]
    public async Task A_create_that_accepts_no_produced_format_is_a_406_and_stores_nothing()
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "runs", RunBodies.Outgoing().With("displayName", "Refused").ToJsonString(),
            headers: new Dictionary<string, string> { ["Accept"] = "application/atom+xml" });

        await response.AssertGraphErrorAsync(HttpStatusCode.NotAcceptable, "unsupportedFormat", "Accept");
        var list = await Client.GetJsonAsync("runs?$filter=displayName eq 'Refused'");
        Assert.That(list["value"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task A_part_of_a_json_batch_that_accepts_no_produced_format_is_a_406_and_the_others_are_answered()
    {
        var batch = new JsonObject
        {
            ["requests"] = new JsonArray(
                new JsonObject { ["id"] = "xml", ["method"] = "GET", ["url"] = "runs", ["headers"] = new JsonObject { ["accept"] = "application/xml" } },
                new JsonObject { ["id"] = "json", ["method"] = "GET", ["url"] = "runs", ["headers"] = new JsonObject { ["accept"] = "application/json" } }),
        };

        using var response = await Client.PostJsonAsync("$batch", batch);
        var body = await response.ReadJsonAsync();
        var statuses = body["responses"]!.AsArray().ToDictionary(part => (string)part!["id"]!, part => (int)part!["status"]!);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(statuses["xml"], Is.EqualTo(406));
            Assert.That(statuses["json"], Is.EqualTo(200));
        });
    }
}
