using System.Text.Json;
using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Create;

[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class CreateRunTests(TestProvider provider) : ApiFixture(provider)
{
    [Test]
    public async Task The_201_and_every_later_read_carry_the_same_statistics_bytes()
    {
        const string body = """
            {"@odata.type":"#microsoft.graph.industryData.outgoingFlowRun","displayName":"Bytes","startDateTime":"2026-01-31T09:30:00Z","status":"running",
             "statistics":{ "s" : "caf\u00e9 \u003cb\u003e \"q\"", "n": 1.50, "e": 1E-7, "o": { "a" : [ 1 , true ] } }}
            """;
        using var created = await Client.SendJsonAsync(HttpMethod.Post, "runs", body);
        var createdText = await created.Content.ReadAsStringAsync();
        Assert.That((int)created.StatusCode, Is.EqualTo(201), createdText);
        var id = JsonDocument.Parse(createdText).RootElement.GetProperty("id").GetString();

        using var read = await Client.GetAsync($"runs('{id}')");
        var readText = await read.Content.ReadAsStringAsync();
        using var listed = await Client.GetAsync("runs?$filter=displayName eq 'Bytes'");
        var listedText = await listed.Content.ReadAsStringAsync();

        var statistics = JsonDocument.Parse(createdText).RootElement.GetProperty("statistics").GetRawText();
        Assert.Multiple(() =>
        {
            Assert.That(statistics, Is.EqualTo("""{"s":"café <b> \"q\"","n":1.50,"e":1E-7,"o":{"a":[1,true]}}"""));
            Assert.That(JsonDocument.Parse(readText).RootElement.GetProperty("statistics").GetRawText(), Is.EqualTo(statistics));
            Assert.That(JsonDocument.Parse(listedText).RootElement.GetProperty("value")[0].GetProperty("statistics").GetRawText(), Is.EqualTo(statistics));
        });
    }

    [Test]
    public async Task The_api_page_example_creates_a_durable_outgoingFlowRun()
    {
        using var response = await Client.PostJsonAsync("runs", RunBodies.ApiPageExample());
        var body = await response.ReadJsonAsync();
        var id = (string?)body["id"];
        var entityUrl = $"http://localhost/runs('{id}')";

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo(entityUrl));
            Assert.That(response.Header("OData-EntityId"), Is.EqualTo(entityUrl));
            Assert.That(response.Headers.ETag?.ToString(), Is.EqualTo((string?)body["@odata.etag"]).And.Not.Empty);
            Assert.That((string?)body["@odata.context"], Is.EqualTo("http://localhost/$metadata#runs/microsoft.graph.industryData.outgoingFlowRun/$entity"));
            Assert.That((string?)body["@odata.type"], Is.EqualTo("#microsoft.graph.industryData.outgoingFlowRun"));
            Assert.That(Guid.TryParse(id, out _), Is.True, "server-generated id");
            Assert.That((string?)body["displayName"], Is.EqualTo("Nightly roster export"));
            Assert.That((string?)body["startDateTime"], Is.EqualTo("2026-01-31T09:30:00Z"));
            Assert.That((string?)body["endDateTime"], Is.EqualTo("2026-01-31T09:42:10Z"));
            Assert.That((string?)body["status"], Is.EqualTo("completed"));
            Assert.That(body["blockingError"], Is.Null);
            Assert.That(body["statistics"]!.ToJsonString(), Is.EqualTo("{}"));
        });
        Assert.That(await Host.CountRunsAsync(), Is.EqualTo(1));
    }

    [TestCase("runs", RunBodies.OutgoingType, "#microsoft.graph.industryData.outgoingFlowRun")]
    [TestCase("runs", RunBodies.IncomingType, "#microsoft.graph.industryData.incomingFlowRun")]
    [TestCase("runs/microsoft.graph.industryData.outgoingFlowRun", null, "#microsoft.graph.industryData.outgoingFlowRun")]
    [TestCase("runs/microsoft.graph.industryData.incomingFlowRun", null, "#microsoft.graph.industryData.incomingFlowRun")]
    [TestCase("runs/microsoft.graph.industryData.incomingFlowRun", RunBodies.IncomingType, "#microsoft.graph.industryData.incomingFlowRun")]
    [TestCase("runs/microsoft.graph.industryData.outgoingFlowRun", "microsoft.graph.industryData.outgoingFlowRun", "#microsoft.graph.industryData.outgoingFlowRun")]
    public async Task Each_concrete_type_is_created_through_both_url_forms_and_read_back(string url, string? bodyType, string expectedType)
    {
        var body = RunBodies.Run(bodyType);
        if (bodyType is null)
        {
            body.Remove("@odata.type");
        }

        var created = await Client.CreateRunAsync(body, url);
        var id = (string)created["id"]!;
        var read = await Client.GetJsonAsync($"runs('{id}')");
        var readAsSegment = await Client.GetJsonAsync($"runs/{id}");

        Assert.Multiple(() =>
        {
            Assert.That((string?)created["@odata.type"], Is.EqualTo(expectedType));
            Assert.That((string?)read["@odata.type"], Is.EqualTo(expectedType));
            Assert.That(read["id"]!.ToJsonString(), Is.EqualTo(created["id"]!.ToJsonString()));
            Assert.That(Without(read, "@odata.context").ToJsonString(), Is.EqualTo(Without(created, "@odata.context").ToJsonString()));
            Assert.That(readAsSegment.ToJsonString(), Is.EqualTo(read.ToJsonString()));
        });
    }

    [Test]
    public async Task Statistics_with_nested_objects_arrays_and_exact_numbers_round_trip_unchanged()
    {
        const string statistics = """{ "rowsRead" : 1200,"ratio":1.50,"huge":12345678901234567890,"tiny":1e-7,"label":"ünïcødé ✓ \u0041","ok":true,"bad":false,"nothing":null,"nested": { "a": [1, 2, {"b": null, "c": [[ ]]}], "empty": { } },"list":["x",1,true,null]}""";
        var body = RunBodies.Outgoing().Without("statistics").ToJsonString().TrimEnd('}') + ",\"statistics\":" + statistics + "}";

        using var create = await Client.SendJsonAsync(HttpMethod.Post, "runs", body);
        var createdText = await create.Content.ReadAsStringAsync();
        var created = JsonNode.Parse(createdText)!.AsObject();
        using var read = await Client.GetAsync($"runs('{created["id"]}')");
        var text = await read.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(created["statistics"]!.ToJsonString(), Is.EqualTo(JsonNode.Parse(statistics)!.ToJsonString()));
            Assert.That(createdText, Does.Contain("\"nested\":{\"a\":[1,2,{\"b\":null,\"c\":[[]]}],\"empty\":{}}"), "insignificant whitespace is dropped");
            Assert.That(JsonNode.Parse(createdText)!["statistics"]!.ToJsonString(), Is.EqualTo(JsonNode.Parse(text)!["statistics"]!.ToJsonString()));
            Assert.That(text, Does.Contain("\"ratio\":1.50").And.Contain("\"huge\":12345678901234567890").And.Contain("\"tiny\":1e-7"));
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(text)!["statistics"], JsonNode.Parse(statistics)), Is.True, text);
        });
    }

    [Test]
    public async Task Date_times_with_offsets_are_stored_and_returned_in_utc()
    {
        var body = RunBodies.Outgoing()
            .With("startDateTime", "2026-03-01T23:30:00.1234567-05:00")
            .With("endDateTime", "2026-03-02T08:15+02:00");

        var created = await Client.CreateRunAsync(body);
        var read = await Client.GetJsonAsync($"runs('{created["id"]}')");

        Assert.Multiple(() =>
        {
            Assert.That((string?)read["startDateTime"], Is.EqualTo("2026-03-02T04:30:00.1234567Z"));
            Assert.That((string?)read["endDateTime"], Is.EqualTo("2026-03-02T06:15:00Z"));
            Assert.That((string?)created["startDateTime"], Is.EqualTo("2026-03-02T04:30:00.1234567Z"));
        });
    }

    [Test]
    public async Task BlockingError_round_trips_as_a_publicError_with_details_and_open_innerError()
    {
        var blockingError = JsonNode.Parse("""
            {"@odata.type":"#microsoft.graph.publicError","code":"sourceUnavailable","message":"The SIS did not answer.","target":"source",
             "details":[{"code":"timeout","message":"No answer in 30 s.","target":"source/endpoint"}],
             "innerError":{"code":"gatewayTimeout","message":"upstream","target":null,"details":[],"request-id":"abc","attempts":3,"extra":{"k":[1]}}}
            """);
        var body = RunBodies.Outgoing().With("status", "failed").With("blockingError", blockingError);

        var created = await Client.CreateRunAsync(body);
        var read = await Client.GetJsonAsync($"runs('{created["id"]}')");
        var error = read["blockingError"]!;

        Assert.Multiple(() =>
        {
            Assert.That((string?)error["code"], Is.EqualTo("sourceUnavailable"));
            Assert.That((string?)error["message"], Is.EqualTo("The SIS did not answer."));
            Assert.That((string?)error["target"], Is.EqualTo("source"));
            Assert.That(error["details"]!.ToJsonString(), Is.EqualTo("""[{"code":"timeout","message":"No answer in 30 s.","target":"source/endpoint"}]"""));
            Assert.That((string?)error["innerError"]!["code"], Is.EqualTo("gatewayTimeout"));
            Assert.That((string?)error["innerError"]!["request-id"], Is.EqualTo("abc"));
            Assert.That((int?)error["innerError"]!["attempts"], Is.EqualTo(3));
            Assert.That(error["innerError"]!["extra"]!.ToJsonString(), Is.EqualTo("""{"k":[1]}"""));
        });
    }

    [Test]
    public async Task Prefer_return_minimal_answers_204_with_location_and_entity_id()
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "runs", RunBodies.Incoming().ToJsonString(),
            headers: new Dictionary<string, string> { ["Prefer"] = "return=minimal" });

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(response.Headers.Location?.ToString(), Does.StartWith("http://localhost/runs('"));
            Assert.That(response.Header("OData-EntityId"), Is.EqualTo(response.Headers.Location?.ToString()));
            Assert.That(response.Header("Preference-Applied"), Is.EqualTo("return=minimal"));
        });
        var id = response.Headers.Location!.ToString().Split('\'')[1];
        var read = await Client.GetJsonAsync($"runs('{id}')");
        Assert.That((string?)read["@odata.type"], Is.EqualTo(RunBodies.IncomingType));
    }

    [Test]
    public async Task Every_response_carries_a_request_id_and_echoes_client_request_id()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "runs");
        request.Headers.Add("client-request-id", "my-correlation-42");
        using var response = await Client.SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(Guid.TryParse(response.Header("request-id"), out _), Is.True);
            Assert.That(response.Header("client-request-id"), Is.EqualTo("my-correlation-42"));
        });
    }

    [Test]
    public async Task Optional_properties_may_be_omitted_and_come_back_null()
    {
        var created = await Client.CreateRunAsync(RunBodies.Outgoing().Without("endDateTime").With("status", "running"));

        Assert.Multiple(() =>
        {
            Assert.That(created.ContainsKey("endDateTime"), Is.True);
            Assert.That(created["endDateTime"], Is.Null);
            Assert.That(created["blockingError"], Is.Null);
            Assert.That((string?)created["status"], Is.EqualTo("running"));
        });
    }

    private static JsonObject Without(JsonObject source, string name)
    {
        var copy = source.DeepClone().AsObject();
        copy.Remove(name);
        return copy;
    }
}
