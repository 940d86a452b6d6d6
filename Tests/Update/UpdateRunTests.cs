using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Update;

[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class UpdateRunTests(TestProvider provider) : ApiFixture(provider)
{
    private async Task<JsonObject> CreatedAsync() => await Client.CreateRunAsync(RunBodies.Outgoing()
        .With("status", "running").With("endDateTime", null)
        .With("blockingError", new JsonObject { ["code"] = "slow" }));

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string id, JsonNode body, IDictionary<string, string>? headers = null) =>
        Client.SendJsonAsync(method, $"runs('{id}')", body.ToJsonString(), headers: headers);

    [Test]
    public async Task Patch_changes_only_the_given_properties_and_a_new_etag_is_returned()
    {
        var created = await CreatedAsync();
        var id = (string)created["id"]!;

        using var response = await SendAsync(HttpMethod.Patch, id, new JsonObject { ["status"] = "completed", ["endDateTime"] = "2026-01-31T11:00:00+01:00" });
        var read = await Client.GetJsonAsync($"runs('{id}')");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(response.Headers.ETag?.ToString(), Is.EqualTo((string?)read["@odata.etag"]).And.Not.EqualTo((string?)created["@odata.etag"]));
            Assert.That((string?)read["status"], Is.EqualTo("completed"));
            Assert.That((string?)read["endDateTime"], Is.EqualTo("2026-01-31T10:00:00Z"));
            Assert.That((string?)read["displayName"], Is.EqualTo((string?)created["displayName"]));
            Assert.That(read["statistics"]!.ToJsonString(), Is.EqualTo(created["statistics"]!.ToJsonString()));
            Assert.That((string?)read["blockingError"]!["code"], Is.EqualTo("slow"));
        });
    }

    [Test]
    public async Task Patch_with_unknownFutureValue_leaves_status_unchanged()
    {
        var id = (string)(await CreatedAsync())["id"]!;

        using var response = await SendAsync(HttpMethod.Patch, id, new JsonObject { ["status"] = "unknownFutureValue", ["displayName"] = "Renamed" });
        var read = await Client.GetJsonAsync($"runs('{id}')");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That((string?)read["status"], Is.EqualTo("running"));
            Assert.That((string?)read["displayName"], Is.EqualTo("Renamed"));
        });
    }

    [Test]
    public async Task Patch_with_prefer_return_representation_answers_200_with_the_run()
    {
        var id = (string)(await CreatedAsync())["id"]!;

        using var response = await SendAsync(HttpMethod.Patch, id, new JsonObject { ["displayName"] = "Renamed" },
            new Dictionary<string, string> { ["Prefer"] = "return=representation" });
        var body = await response.ReadJsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Header("Preference-Applied"), Is.EqualTo("return=representation"));
            Assert.That((string?)body["displayName"], Is.EqualTo("Renamed"));
            Assert.That((string?)body["@odata.type"], Is.EqualTo(RunBodies.OutgoingType));
        });
    }

    [Test]
    public async Task Put_replaces_every_property_and_omitted_optional_ones_become_null()
    {
        var id = (string)(await CreatedAsync())["id"]!;
        var replacement = RunBodies.Outgoing().Without("endDateTime").With("displayName", "Replaced").With("status", "failed")
            .With("statistics", new JsonObject { ["only"] = true });

        using var response = await SendAsync(HttpMethod.Put, id, replacement);
        var read = await Client.GetJsonAsync($"runs('{id}')");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That((string?)read["displayName"], Is.EqualTo("Replaced"));
            Assert.That((string?)read["status"], Is.EqualTo("failed"));
            Assert.That(read["endDateTime"], Is.Null);
            Assert.That(read["blockingError"], Is.Null);
            Assert.That(read["statistics"]!.ToJsonString(), Is.EqualTo("""{"only":true}"""));
        });
    }

    [Test]
    public async Task Put_and_patch_may_repeat_the_same_id_and_type()
    {
        var created = await CreatedAsync();
        var id = (string)created["id"]!;

        using var response = await SendAsync(HttpMethod.Patch, id, new JsonObject { ["id"] = id, ["@odata.type"] = RunBodies.OutgoingType, ["displayName"] = "Same" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    public static IEnumerable<TestCaseData> BadUpdates()
    {
        TestCaseData Case(string name, string method, Func<string, JsonObject> body, string innerCode, string target) =>
            new TestCaseData(new HttpMethod(method), body, innerCode, target).SetName($"{method} rejects {name}");

        yield return Case("a type change", "PATCH", _ => new JsonObject { ["@odata.type"] = RunBodies.IncomingType }, "typeMismatch", "@odata.type");
        yield return Case("a type change", "PUT", _ => RunBodies.Incoming(), "typeMismatch", "@odata.type");
        yield return Case("an id change", "PATCH", _ => new JsonObject { ["id"] = "another" }, "readOnlyProperty", "id");
        yield return Case("an id change", "PUT", _ => RunBodies.Outgoing().With("id", "another"), "readOnlyProperty", "id");
        yield return Case("an end before the stored start", "PATCH", _ => new JsonObject { ["endDateTime"] = "2020-01-01T00:00:00Z" }, "endBeforeStart", "endDateTime");
        yield return Case("an enum value that is not a member", "PATCH", _ => new JsonObject { ["status"] = "paused" }, "invalidEnumValue", "status");
        yield return Case("a null displayName", "PATCH", _ => new JsonObject { ["displayName"] = null }, "invalidPropertyType", "displayName");
        yield return Case("null statistics", "PATCH", _ => new JsonObject { ["statistics"] = null }, "nullNotAllowed", "statistics");
        yield return Case("an unknown property", "PATCH", _ => new JsonObject { ["colour"] = "red" }, "unknownProperty", "colour");
        yield return Case("a missing required property", "PUT", _ => RunBodies.Outgoing().Without("status"), "missingRequiredProperty", "status");
        yield return Case("unknownFutureValue", "PUT", _ => RunBodies.Outgoing().With("status", "unknownFutureValue"), "invalidEnumValue", "status");
    }

    [TestCaseSource(nameof(BadUpdates))]
    public async Task Invalid_updates_are_a_400_and_change_nothing(HttpMethod method, Func<string, JsonObject> body, string innerCode, string target)
    {
        var created = await CreatedAsync();
        var id = (string)created["id"]!;
        var before = (await Client.GetJsonAsync($"runs('{id}')")).ToJsonString();

        using var response = await SendAsync(method, id, body(id));

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, innerCode, target);
        Assert.That((await Client.GetJsonAsync($"runs('{id}')")).ToJsonString(), Is.EqualTo(before));
    }

    [TestCase("PATCH")]
    [TestCase("PUT")]
    [TestCase("DELETE")]
    public async Task Writes_to_an_unknown_id_are_a_404(string method)
    {
        using var response = await Client.SendJsonAsync(new HttpMethod(method), "runs('no-such-run')", RunBodies.Outgoing().ToJsonString());

        await response.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
    }

    [Test]
    public async Task Delete_answers_204_then_the_run_is_gone_and_a_second_delete_is_404()
    {
        var id = (string)(await CreatedAsync())["id"]!;

        using var first = await Client.DeleteAsync($"runs('{id}')");
        using var read = await Client.GetAsync($"runs('{id}')");
        using var second = await Client.DeleteAsync($"runs/{id}");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await read.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
        await second.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
        Assert.That(await Host.CountRunsAsync(), Is.Zero);
    }
}
