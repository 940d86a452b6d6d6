using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Create;

/// <summary>Every rejection of contract §3: status, Graph-style error naming the fault, and nothing stored.</summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class CreateRejectionTests(TestProvider provider) : ApiFixture(provider)
{
    public static IEnumerable<TestCaseData> BadBodies()
    {
        TestCaseData Case(string name, Func<JsonObject> body, string innerCode, string? target, string mentions, string url = "runs") =>
            new TestCaseData(url, (Func<string>)(() => body().ToJsonString()), innerCode, target, mentions).SetName("Rejects " + name);

        yield return Case("missing @odata.type on the abstract set", () => RunBodies.Outgoing().Without("@odata.type"), "missingODataType", "@odata.type", "incomingFlowRun");
        yield return Case("@odata.type of abstract run", () => RunBodies.Run("#microsoft.graph.industryData.run"), "abstractType", "@odata.type", "outgoingFlowRun");
        yield return Case("@odata.type of abstract entity", () => RunBodies.Run("#microsoft.graph.entity"), "typeNotDerivedFromRun", "@odata.type", "outgoingFlowRun");
        yield return Case("unknown @odata.type", () => RunBodies.Run("#microsoft.graph.industryData.sideways"), "unknownType", "@odata.type", "sideways");
        yield return Case("type not derived from run", () => RunBodies.Run("#microsoft.graph.publicError"), "typeNotDerivedFromRun", "@odata.type", "publicError");
        yield return Case("@odata.type that is not a string", () => RunBodies.Outgoing().With("@odata.type", 7), "invalidPropertyType", "@odata.type", "@odata.type");
        yield return Case("cast segment contradicting @odata.type", () => RunBodies.Incoming(), "typeMismatch", "@odata.type", "incomingFlowRun", "runs/microsoft.graph.industryData.outgoingFlowRun");
        yield return Case("missing displayName", () => RunBodies.Outgoing().Without("displayName"), "missingRequiredProperty", "displayName", "displayName");
        yield return Case("missing startDateTime", () => RunBodies.Outgoing().Without("startDateTime"), "missingRequiredProperty", "startDateTime", "startDateTime");
        yield return Case("missing status", () => RunBodies.Outgoing().Without("status"), "missingRequiredProperty", "status", "status");
        yield return Case("missing statistics", () => RunBodies.Outgoing().Without("statistics"), "missingRequiredProperty", "statistics", "statistics");
        yield return Case("null statistics", () => RunBodies.Outgoing().With("statistics", null), "nullNotAllowed", "statistics", "statistics");
        yield return Case("empty displayName", () => RunBodies.Outgoing().With("displayName", ""), "invalidValue", "displayName", "displayName");
        yield return Case("displayName over 256 characters", () => RunBodies.Outgoing().With("displayName", new string('x', 257)), "valueTooLong", "displayName", "256");
        yield return Case("displayName of the wrong JSON type", () => RunBodies.Outgoing().With("displayName", 42), "invalidPropertyType", "displayName", "string");
        yield return Case("status of the wrong JSON type", () => RunBodies.Outgoing().With("status", 2), "invalidPropertyType", "status", "status");
        yield return Case("statistics that is an array", () => RunBodies.Outgoing().With("statistics", new JsonArray(1, 2)), "invalidPropertyType", "statistics", "object");
        yield return Case("unparseable startDateTime", () => RunBodies.Outgoing().With("startDateTime", "yesterday"), "invalidDateTime", "startDateTime", "ISO 8601");
        yield return Case("startDateTime without a time zone", () => RunBodies.Outgoing().With("startDateTime", "2026-01-31T09:30:00"), "invalidDateTime", "startDateTime", "time zone");
        yield return Case("impossible calendar date", () => RunBodies.Outgoing().With("endDateTime", "2026-02-30T09:30:00Z"), "invalidDateTime", "endDateTime", "endDateTime");
        yield return Case("null startDateTime", () => RunBodies.Outgoing().With("startDateTime", null), "nullNotAllowed", "startDateTime", "startDateTime");
        yield return Case("endDateTime before startDateTime", () => RunBodies.Outgoing().With("endDateTime", "2026-01-31T09:29:59Z"), "endBeforeStart", "endDateTime", "before");
        yield return Case("status that is not a member", () => RunBodies.Outgoing().With("status", "paused"), "invalidEnumValue", "status", "completedWithWarnings");
        yield return Case("status in the wrong case", () => RunBodies.Outgoing().With("status", "Completed"), "invalidEnumValue", "status", "Did you mean 'completed'");
        yield return Case("status unknownFutureValue", () => RunBodies.Outgoing().With("status", "unknownFutureValue"), "invalidEnumValue", "status", "unknownFutureValue");
        yield return Case("client-supplied id", () => RunBodies.Outgoing().With("id", "my-own-id"), "readOnlyProperty", "id", "id");
        yield return Case("undeclared property on run", () => RunBodies.Outgoing().With("colour", "blue"), "unknownProperty", "colour", "colour");
        yield return Case("property in the wrong case", () => RunBodies.Outgoing().With("DisplayName", "x"), "unknownProperty", "DisplayName", "case-sensitive");
        yield return Case("blockingError that is a string", () => RunBodies.Outgoing().With("blockingError", "boom"), "invalidPropertyType", "blockingError", "publicError");
        yield return Case("undeclared property on blockingError", () => RunBodies.Outgoing().With("blockingError", new JsonObject { ["severity"] = "high" }), "unknownProperty", "blockingError/severity", "severity");
        yield return Case("wrong @odata.type on statistics", () => RunBodies.Outgoing().With("statistics", new JsonObject { ["@odata.type"] = "#microsoft.graph.publicError" }), "typeMismatch", "statistics/@odata.type", "runStatistics");
        yield return Case("statistics member name with a dot", () => RunBodies.Outgoing().With("statistics", new JsonObject { ["rows.read"] = 1 }), "invalidPropertyName", "statistics/rows.read", "rows.read");
    }

    [TestCaseSource(nameof(BadBodies))]
    public async Task Bad_body_is_a_400_naming_the_fault_and_stores_nothing(string url, Func<string> body, string innerCode, string? target, string mentions)
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, url, body());

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, innerCode, target);
        Assert.That((string?)error["message"], Does.Contain(mentions));
        Assert.That(await Host.CountRunsAsync(), Is.Zero);
    }

    [TestCase("", "emptyRequestBody", TestName = "Rejects an empty body")]
    [TestCase("   \n ", "emptyRequestBody", TestName = "Rejects a whitespace body")]
    [TestCase("{\"displayName\": \"x\",", "malformedJson", TestName = "Rejects truncated JSON")]
    [TestCase("{'displayName': 'x'}", "malformedJson", TestName = "Rejects single-quoted JSON")]
    [TestCase("[1,2,3]", "invalidRequestBody", TestName = "Rejects a JSON array body")]
    [TestCase("\"run\"", "invalidRequestBody", TestName = "Rejects a JSON string body")]
    [TestCase("{\"@odata.type\":\"#microsoft.graph.industryData.outgoingFlowRun\",\"displayName\":\"a\",\"displayName\":\"b\"}", "duplicateProperty", TestName = "Rejects duplicate properties")]
    [TestCase("{\"displayName\":\"\\ud800\"}", "invalidString", TestName = "Rejects an unpaired surrogate")]
    public async Task Malformed_body_is_a_400_and_stores_nothing(string body, string innerCode)
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "runs", body);

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, innerCode);
        Assert.That(await Host.CountRunsAsync(), Is.Zero);
    }

    [Test]
    public async Task Json_nested_deeper_than_32_levels_is_a_400()
    {
        var deep = new StringBuilder();
        for (var i = 0; i < 40; i++)
        {
            deep.Append("{\"a\":");
        }

        deep.Append('1').Append('}', 40);
        var body = RunBodies.Outgoing().ToJsonString().Replace("\"rowsRead\":1200", "\"deep\":" + deep, StringComparison.Ordinal);

        using var response = await Client.SendJsonAsync(HttpMethod.Post, "runs", body);

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "jsonTooDeep");
        Assert.That((string?)error["message"], Does.Contain("32"));
        Assert.That(await Host.CountRunsAsync(), Is.Zero);
    }

    [Test]
    public async Task Json_nested_exactly_32_levels_is_accepted()
    {
        var nested = new StringBuilder();
        for (var i = 0; i < 30; i++)
        {
            nested.Append("{\"a\":");
        }

        nested.Append('1').Append('}', 30);
        var body = RunBodies.Outgoing().ToJsonString().Replace("\"rowsRead\":1200", "\"deep\":" + nested, StringComparison.Ordinal);

        using var response = await Client.SendJsonAsync(HttpMethod.Post, "runs", body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    [TestCase("text/plain")]
    [TestCase("application/xml")]
    [TestCase("application/json; charset=iso-8859-1")]
    public async Task Wrong_content_type_is_a_415(string contentType)
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "runs", RunBodies.Outgoing().ToJsonString(), contentType);

        await response.AssertGraphErrorAsync(HttpStatusCode.UnsupportedMediaType, "unsupportedMediaType");
        Assert.That(await Host.CountRunsAsync(), Is.Zero);
    }

    [Test]
    public async Task Json_with_odata_parameters_in_content_type_is_accepted()
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "runs", RunBodies.Outgoing().ToJsonString(),
            "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task Body_over_one_mebibyte_is_a_413()
    {
        var body = RunBodies.Outgoing().With("statistics", new JsonObject { ["blob"] = new string('x', 1024 * 1024) });

        using var response = await Client.PostJsonAsync("runs", body);

        await response.AssertGraphErrorAsync(HttpStatusCode.RequestEntityTooLarge, "requestBodyTooLarge");
        Assert.That(await Host.CountRunsAsync(), Is.Zero);
    }

    [TestCase("3.0")]
    [TestCase("2.0")]
    public async Task Unsupported_odata_max_version_is_a_400(string version)
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "runs", RunBodies.Outgoing().ToJsonString(),
            headers: new Dictionary<string, string> { ["OData-MaxVersion"] = version });

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "unsupportedODataVersion");
        Assert.That(await Host.CountRunsAsync(), Is.Zero);
    }

    [TestCase("4.0")]
    [TestCase("4.01")]
    public async Task Supported_odata_max_version_is_accepted(string version)
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "runs", RunBodies.Outgoing().ToJsonString(),
            headers: new Dictionary<string, string> { ["OData-MaxVersion"] = version });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }
}
