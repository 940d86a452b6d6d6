using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Update;

/// <summary>PUT, PATCH and DELETE of one property of a run, or a value inside one: the rules of a PATCH of the run, one ETag, seen by delta().</summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class PropertyWriteTests(TestProvider provider) : ApiFixture(provider)
{
    private async Task<string> CreateAsync() => (string)(await Client.CreateRunAsync(RunBodies.Outgoing()
        .With("blockingError", new JsonObject
        {
            ["code"] = "quotaExceeded",
            ["details"] = new JsonArray(new JsonObject { ["code"] = "a" }),
            ["innerError"] = new JsonObject { ["code"] = "inner", ["region"] = "west" },
        })))["id"]!;

    private Task<HttpResponseMessage> Send(HttpMethod method, string url, string body, string contentType = "application/json", IDictionary<string, string>? headers = null) =>
        Client.SendJsonAsync(method, url, body, contentType, headers);

    [TestCase("displayName", """{"value":""}""", "invalidValue", "displayName")]
    [TestCase("displayName", """{"value":null}""", "invalidPropertyType", "displayName")]
    [TestCase("endDateTime", """{"value":"2020-01-01T00:00:00Z"}""", "endBeforeStart", "endDateTime")]
    [TestCase("startDateTime", """{"value":"2030-01-01T00:00:00Z"}""", "endBeforeStart", "endDateTime")]
    [TestCase("startDateTime", """{"value":"yesterday"}""", "invalidDateTime", "startDateTime")]
    [TestCase("status", """{"value":"done"}""", "invalidEnumValue", "status")]
    [TestCase("status", """{"value":"unknownFutureValue"}""", "invalidEnumValue", "status")]
    [TestCase("status", """ "failed" """, "invalidRequestBody", "status")]
    [TestCase("statistics", """{"a.b":1}""", "invalidPropertyName", "statistics/a.b")]
    [TestCase("statistics", "null", "nullNotAllowed", "statistics")]
    [TestCase("blockingError", """{"details":5}""", "invalidPropertyType", "blockingError/details")]
    [TestCase("blockingError", """{"nope":1}""", "unknownProperty", "blockingError/nope")]
    [TestCase("blockingError/code", """{"value":5}""", "invalidPropertyType", "blockingError/code")]
    [TestCase("id", """{"value":"other"}""", "readOnlyProperty", "id")]
    public async Task A_put_is_judged_by_the_rules_of_the_run_and_a_refused_one_changes_nothing(string property, string body, string code, string target)
    {
        var id = await CreateAsync();
        var before = await Client.GetJsonAsync($"runs('{id}')");

        using var response = await Send(HttpMethod.Put, $"runs('{id}')/{property}", body);

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, code, target);
        Assert.That((await Client.GetJsonAsync($"runs('{id}')")).ToJsonString(), Is.EqualTo(before.ToJsonString()));
    }

    [Test]
    public async Task A_patch_of_status_with_unknownFutureValue_leaves_it_as_a_patch_of_the_run_does()
    {
        var id = await CreateAsync();

        using var response = await Send(HttpMethod.Patch, $"runs('{id}')/status", """{"value":"unknownFutureValue"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((string?)(await Client.GetJsonAsync($"runs('{id}')"))["status"], Is.EqualTo("completed"));
    }

    [Test]
    public async Task Values_inside_complex_properties_are_written_in_place()
    {
        var id = await CreateAsync();

        using var code = await Send(HttpMethod.Put, $"runs('{id}')/blockingError/code", """{"value":"throttled"}""");
        using var innerMember = await Send(HttpMethod.Put, $"runs('{id}')/blockingError/innerError/region", """{"value":"east"}""");
        using var details = await Send(HttpMethod.Put, $"runs('{id}')/blockingError/details", """{"value":[{"code":"x"},{"code":"y"}]}""");
        using var nested = await Send(HttpMethod.Put, $"runs('{id}')/statistics/perEntity/students", """{"value":1000}""");
        using var patchMember = await Send(HttpMethod.Patch, $"runs('{id}')/statistics", """{"rowsRead":1}""");
        using var rawCode = await Send(HttpMethod.Put, $"runs('{id}')/blockingError/message/$value", "Plain message", "text/plain");
        var run = await Client.GetJsonAsync($"runs('{id}')");

        Assert.Multiple(() =>
        {
            foreach (var response in new[] { code, innerMember, details, nested, patchMember, rawCode })
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), response.RequestMessage!.RequestUri!.ToString());
            }

            Assert.That(run["blockingError"]!.ToJsonString(), Is.EqualTo(
                """{"code":"throttled","message":"Plain message","target":null,"details":[{"code":"x","message":null,"target":null},{"code":"y","message":null,"target":null}],"innerError":{"code":"inner","message":null,"target":null,"region":"east","details":[]}}"""));
            Assert.That(run["statistics"]!.ToJsonString(), Is.EqualTo("""{"rowsRead":1,"rowsWritten":1187,"perEntity":{"students":1000}}"""));
        });
    }

    [Test]
    public async Task Return_representation_answers_the_value_written_and_delete_answers_204()
    {
        var id = await CreateAsync();
        var prefer = new Dictionary<string, string> { ["Prefer"] = "return=representation" };

        using var put = await Send(HttpMethod.Put, $"runs('{id}')/displayName", """{"value":"Shown"}""", headers: prefer);
        using var patch = await Send(HttpMethod.Patch, $"runs('{id}')/blockingError", """{"message":"m"}""", headers: prefer);
        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"runs('{id}')/blockingError");
        delete.Headers.TryAddWithoutValidation("Prefer", "return=representation");
        using var deleted = await Client.SendAsync(delete);
        var putBody = await put.ReadJsonAsync();
        var patchBody = await patch.ReadJsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(put.Header("Preference-Applied"), Is.EqualTo("return=representation"));
            Assert.That((string?)putBody["value"], Is.EqualTo("Shown"));
            Assert.That((string?)putBody["@odata.context"], Does.EndWith($"$metadata#runs('{id}')/displayName"));
            Assert.That((string?)patchBody["code"], Is.EqualTo("quotaExceeded"));
            Assert.That((string?)patchBody["message"], Is.EqualTo("m"));
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        });
    }

    [Test]
    public async Task Wrong_forms_are_refused_with_what_to_send()
    {
        var id = await CreateAsync();

        using var rawAsJson = await Send(HttpMethod.Put, $"runs('{id}')/displayName/$value", "\"x\"");
        using var patchCollection = await Send(HttpMethod.Patch, $"runs('{id}')/blockingError/details", """{"value":[]}""");
        using var count = await Send(HttpMethod.Put, $"runs('{id}')/blockingError/details/$count", """{"value":1}""");
        using var missing = await Send(HttpMethod.Put, "runs('missing')/displayName", """{"value":"x"}""");
        using var reader = Host.CreateAuthorizedClient(TestTokens.Read());
        using var forbidden = await reader.SendJsonAsync(HttpMethod.Put, $"runs('{id}')/displayName", """{"value":"x"}""");

        Assert.Multiple(async () =>
        {
            await rawAsJson.AssertGraphErrorAsync(HttpStatusCode.UnsupportedMediaType, "unsupportedMediaType");
            await patchCollection.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "patchOfCollection", "blockingError/details");
            await count.AssertGraphErrorAsync(HttpStatusCode.MethodNotAllowed, "methodNotAllowed");
            await missing.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
            Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    [Test]
    public async Task A_property_write_is_an_update_seen_by_delta()
    {
        var id = await CreateAsync();
        var other = await CreateAsync();
        var deltaLink = await DeltaLinkAsync("runs/delta()");

        using var put = await Send(HttpMethod.Put, $"runs('{id}')/status", """{"value":"failed"}""");
        using var delete = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"runs('{other}')/blockingError"));
        var changes = await Client.GetJsonAsync(deltaLink);
        var entries = changes["value"]!.AsArray().Select(entry => entry!.AsObject()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(entries.Select(entry => (string?)entry["id"]), Is.EquivalentTo(new[] { id, other }));
            Assert.That((string?)entries.Single(entry => (string?)entry["id"] == id)["status"], Is.EqualTo("failed"));
            Assert.That(entries.Single(entry => (string?)entry["id"] == other).TryGetPropertyValue("blockingError", out var error) && error is null, "blockingError is null");
        });
    }

    private async Task<string> DeltaLinkAsync(string url)
    {
        for (var next = url; ;)
        {
            var page = await Client.GetJsonAsync(next);
            if ((string?)page["@odata.deltaLink"] is { } deltaLink)
            {
                return deltaLink;
            }

            next = (string)page["@odata.nextLink"]!;
        }
    }
}
