using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Create;

/// <summary>A body with several faults is one 400 that lists every fault (issue 14, item 4); structural faults stay single.</summary>
public class EveryFaultTests : ApiFixture
{
    [Test]
    public async Task The_API_page_example_as_written_lists_every_fault()
    {
        // The request body of the API page, placeholders and all.
        const string body = """
            {
              "@odata.type": "#microsoft.graph.industryData.outgoingFlowRun",
              "displayName": "String",
              "startDateTime": "String (timestamp)",
              "endDateTime": "String (timestamp)",
              "status": "String",
              "statistics": {
                "@odata.type": "microsoft.graph.industryData.runStatistics"
              }
            }
            """;

        using var response = await Client.SendJsonAsync(HttpMethod.Post, "runs", body);

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidDateTime", "startDateTime");
        Assert.That((string?)error["message"], Does.StartWith("3 properties are invalid: startDateTime, endDateTime, status."));
        AssertDetails(error,
            ("invalidDateTime", "startDateTime", "ISO 8601"),
            ("invalidDateTime", "endDateTime", "ISO 8601"),
            ("invalidEnumValue", "status", "Send one of running, failed"));
        Assert.That(await Host.CountRunsAsync(), Is.Zero);
    }

    [Test]
    public async Task Faults_found_by_the_reader_and_by_the_rules_come_in_one_answer()
    {
        var body = RunBodies.Outgoing()
            .Without("@odata.type")
            .With("id", "my-own-id")
            .With("status", "paused")
            .With("endDateTime", "2026-01-31T09:00:00Z")
            .With("colour", "blue")
            .Without("statistics");

        using var response = await Client.SendJsonAsync(HttpMethod.Post, "runs", body.ToJsonString());

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidEnumValue", "status");
        Assert.That((string?)error["message"], Does.StartWith("6 properties are missing or invalid: status, colour, id, @odata.type, statistics, endDateTime."));
        AssertDetails(error,
            ("invalidEnumValue", "status", "paused"),
            ("unknownProperty", "colour", "colour"),
            ("readOnlyProperty", "id", "Remove it"),
            ("missingODataType", "@odata.type", "outgoingFlowRun"),
            ("missingRequiredProperty", "statistics", "{} is fine"),
            ("endBeforeStart", "endDateTime", "before"));
        Assert.That(await Host.CountRunsAsync(), Is.Zero);
    }

    [Test]
    public async Task Faults_inside_statistics_and_blockingError_are_each_listed()
    {
        var body = RunBodies.Outgoing()
            .With("statistics", new JsonObject { ["rows.read"] = 1, ["ok"] = 2, ["a@b"] = 3 })
            .With("blockingError", new JsonObject { ["code"] = 7, ["severity"] = "high", ["details"] = new JsonArray("x") });

        using var response = await Client.SendJsonAsync(HttpMethod.Post, "runs", body.ToJsonString());

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidPropertyName", "statistics/rows.read");
        AssertDetails(error,
            ("invalidPropertyName", "statistics/rows.read", "rows.read"),
            ("invalidPropertyName", "statistics/a@b", "a@b"),
            ("invalidPropertyType", "blockingError/code", "string or null"),
            ("unknownProperty", "blockingError/severity", "severity"),
            ("invalidPropertyType", "blockingError/details/0", "publicErrorDetail"));
        Assert.That(await Host.CountRunsAsync(), Is.Zero);
    }

    [Test]
    public async Task A_patch_lists_its_faults_with_those_that_depend_on_the_stored_run()
    {
        var created = await Client.CreateRunAsync(RunBodies.Outgoing());
        var id = (string)created["id"]!;
        var body = """{"id":"another","@odata.type":"#microsoft.graph.industryData.incomingFlowRun","status":"Completed","endDateTime":"2026-01-31T09:00:00Z"}""";

        using var response = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')", body,
            headers: new Dictionary<string, string> { ["If-Match"] = "W/\"99\"" });

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidEnumValue", "status");
        AssertDetails(error,
            ("invalidEnumValue", "status", "Did you mean 'completed'"),
            ("readOnlyProperty", "id", "cannot be changed"),
            ("typeMismatch", "@odata.type", "cannot be changed"),
            ("endBeforeStart", "endDateTime", "before"));
        var stored = await Client.GetJsonAsync($"runs('{id}')");
        Assert.That((string?)stored["status"], Is.EqualTo("completed"));
    }

    [Test]
    public async Task A_put_on_an_unknown_id_with_faults_is_a_400_listing_them()
    {
        var body = RunBodies.Outgoing().With("status", "paused").With("displayName", 3).ToJsonString();

        using var response = await Client.SendJsonAsync(HttpMethod.Put, "runs('no-such-run')", body);

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidPropertyType", "displayName");
        AssertDetails(error, ("invalidPropertyType", "displayName", "string"), ("invalidEnumValue", "status", "paused"));
    }

    [Test]
    public async Task A_single_fault_answers_as_it_always_did()
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "runs", RunBodies.Outgoing().With("status", "paused").ToJsonString());

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidEnumValue", "status");
        Assert.That((string?)error["message"], Does.StartWith("status 'paused' is not a member of microsoft.graph.industryData.runStatus."));
        AssertDetails(error, ("invalidEnumValue", "status", (string)error["message"]!));
    }

    [TestCase("{\"status\":\"paused\",", "malformedJson", TestName = "Malformed JSON stays a single fault")]
    [TestCase("[{\"status\":\"paused\"}]", "invalidRequestBody", TestName = "A body that is not an object stays a single fault")]
    public async Task Structural_faults_stay_single(string body, string innerCode)
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "runs", body);

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, innerCode);
        Assert.That(error["details"]!.AsArray(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Too_deep_JSON_stays_a_single_fault_even_with_other_faults()
    {
        var deep = new string('[', 40) + new string(']', 40);
        var body = "{\"status\":\"paused\",\"statistics\":{\"deep\":" + deep + "}}";

        using var response = await Client.SendJsonAsync(HttpMethod.Post, "runs", body);

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "jsonTooDeep");
        Assert.That(error["details"]!.AsArray(), Has.Count.EqualTo(1));
    }

    private static void AssertDetails(JsonObject error, params (string Code, string Target, string Mentions)[] expected)
    {
        var details = error["details"]!.AsArray();
        var text = error.ToJsonString();
        Assert.That(details.Select(d => ((string?)d!["code"], (string?)d["target"])), Is.EqualTo(expected.Select(e => (e.Code, e.Target))), text);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.That((string?)details[i]!["message"], Does.Contain(expected[i].Mentions), text);
        }
    }
}
