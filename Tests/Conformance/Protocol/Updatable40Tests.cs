using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Conformance.Protocol;

/// <summary>
/// OData 4.0 Minimal Conformance Level, the items of an Updatable OData Service (OData Protocol §12.1.1, 18–33) that
/// writes to one property touch. PUT/PATCH/DELETE of the run itself are covered by Tests/Update.
/// </summary>
public sealed class Updatable40Tests : ApiFixture
{
    private const string Cast = "microsoft.graph.industryData.outgoingFlowRun";

    private async Task<JsonObject> CreateAsync() => await Client.CreateRunAsync(RunBodies.Outgoing()
        .With("blockingError", new JsonObject { ["code"] = "quotaExceeded", ["message"] = "Over quota." })
        .With("statistics", new JsonObject { ["perEntity"] = new JsonObject { ["students"] = 900 }, ["rowsRead"] = 5 }));

    /// <summary>
    /// 30. SHOULD support PUT and PATCH to an individual primitive or complex property: PUT of a primitive ({"value": …}
    /// or /$value as text/plain), PATCH of a complex property changes only the members sent, PUT replaces it — on every URL
    /// form of a run; each write is an update of the run with a new ETag.
    /// </summary>
    [Test]
    public async Task Updatable40_30_put_and_patch_of_a_primitive_or_complex_property()
    {
        var created = await CreateAsync();
        var id = (string)created["id"]!;
        var etags = new List<string> { (string)created["@odata.etag"]! };
        var forms = new[] { $"runs('{id}')", $"runs/{id}", $"runs(id='{id}')", $"runs('{id}')/{Cast}", $"runs/{Cast}('{id}')", $"runs/{Cast}/{id}" };

        foreach (var run in forms)
        {
            using var put = await Client.SendJsonAsync(HttpMethod.Put, $"{run}/displayName", $$"""{"value":"Renamed via {{run}}"}""");
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await put.Content.ReadAsStringAsync());
            etags.Add(put.Headers.ETag!.ToString());
            Assert.That((string?)(await Client.GetJsonAsync($"runs('{id}')"))["displayName"], Is.EqualTo($"Renamed via {run}"));
        }

        using var raw = await Client.SendJsonAsync(HttpMethod.Put, $"runs('{id}')/displayName/$value", "Plain text name", "text/plain");
        using var patch = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')/blockingError", """{"code":"throttled"}""");
        var patched = await Client.GetJsonAsync($"runs('{id}')");
        using var replace = await Client.SendJsonAsync(HttpMethod.Put, $"runs('{id}')/blockingError", """{"code":"replaced"}""");
        var replaced = await Client.GetJsonAsync($"runs('{id}')");
        etags.AddRange([raw.Headers.ETag!.ToString(), patch.Headers.ETag!.ToString(), replace.Headers.ETag!.ToString()]);

        Assert.Multiple(() =>
        {
            Assert.That(raw.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That((string?)patched["displayName"], Is.EqualTo("Plain text name"));
            Assert.That(patch.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(patched["blockingError"]!.ToJsonString(), Does.Contain("\"code\":\"throttled\"").And.Contain("\"message\":\"Over quota.\""));
            Assert.That(replace.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That((string?)replaced["blockingError"]!["code"], Is.EqualTo("replaced"));
            Assert.That((string?)replaced["blockingError"]!["message"], Is.Null, "PUT replaces the whole complex value");
            Assert.That(etags, Is.Unique, "every write stamps a new ETag");
            Assert.That((string?)replaced["@odata.etag"], Is.EqualTo(etags[^1]));
        });
    }

    /// <summary>31. SHOULD support DELETE to set an individual property to null; a non-nullable one (or the key) is a 400.</summary>
    [Test]
    public async Task Updatable40_31_delete_sets_a_property_to_null()
    {
        var id = (string)(await CreateAsync())["id"]!;

        using var end = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"runs('{id}')/endDateTime"));
        using var error = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"runs/{Cast}('{id}')/blockingError"));
        using var member = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"runs('{id}')/statistics/rowsRead"));
        using var name = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"runs('{id}')/displayName"));
        using var key = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"runs('{id}')/id"));
        var run = await Client.GetJsonAsync($"runs('{id}')");

        Assert.Multiple(async () =>
        {
            Assert.That(end.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(member.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(run.ContainsKey("endDateTime") && run["endDateTime"] is null, "endDateTime is null");
            Assert.That(run.ContainsKey("blockingError") && run["blockingError"] is null, "blockingError is null");
            Assert.That(run["statistics"]!.ToJsonString(), Is.EqualTo("""{"perEntity":{"students":900}}"""));
            Assert.That((string?)run["displayName"], Is.EqualTo("Nightly export"));
            await name.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "nullNotAllowed", "displayName");
            await key.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "readOnlyProperty", "id");
        });
    }

    /// <summary>26. MUST support If-Match in update/delete of any resource returned with an ETag: a property of a run has the run's.</summary>
    [Test]
    public async Task Updatable40_26_if_match_on_writes_to_a_property()
    {
        var created = await CreateAsync();
        var id = (string)created["id"]!;
        var etag = (string)created["@odata.etag"]!;
        var ifMatch = new Dictionary<string, string> { ["If-Match"] = etag };

        using var first = await Client.SendJsonAsync(HttpMethod.Put, $"runs('{id}')/displayName", """{"value":"First"}""", headers: ifMatch);
        using var stale = await Client.SendJsonAsync(HttpMethod.Put, $"runs('{id}')/displayName", """{"value":"Second"}""", headers: ifMatch);
        using var insertOnly = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')/blockingError", """{"code":"x"}""",
            headers: new Dictionary<string, string> { ["If-None-Match"] = "*" });
        using var staleDelete = new HttpRequestMessage(HttpMethod.Delete, $"runs('{id}')/endDateTime");
        staleDelete.Headers.TryAddWithoutValidation("If-Match", etag);
        using var deleted = await Client.SendAsync(staleDelete);
        var run = await Client.GetJsonAsync($"runs('{id}')");

        Assert.Multiple(async () =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            await stale.AssertGraphErrorAsync(HttpStatusCode.PreconditionFailed, "etagMismatch");
            await insertOnly.AssertGraphErrorAsync(HttpStatusCode.PreconditionFailed, "runExists");
            await deleted.AssertGraphErrorAsync(HttpStatusCode.PreconditionFailed, "etagMismatch");
            Assert.That((string?)run["displayName"], Is.EqualTo("First"));
            Assert.That((string?)run["blockingError"]!["code"], Is.EqualTo("quotaExceeded"));
            Assert.That((string?)run["endDateTime"], Is.Not.Null);
        });
    }
}
