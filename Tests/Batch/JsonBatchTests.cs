using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Batch;

[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class JsonBatchTests(TestProvider provider) : ApiFixture(provider)
{
    private static JsonObject Request(string id, string method, string url, JsonNode? body = null, string? group = null, params string[] dependsOn)
    {
        var request = new JsonObject { ["id"] = id, ["method"] = method, ["url"] = url };
        if (body is not null)
        {
            request["body"] = body;
            request["headers"] = new JsonObject { ["Content-Type"] = "application/json" };
        }

        if (group is not null)
        {
            request["atomicityGroup"] = group;
        }

        if (dependsOn.Length > 0)
        {
            request["dependsOn"] = new JsonArray(dependsOn.Select(d => (JsonNode)d!).ToArray());
        }

        return request;
    }

    private async Task<(HttpResponseMessage Response, Dictionary<string, JsonObject> ById)> SendAsync(params JsonObject[] requests)
    {
        var batch = new JsonObject { ["requests"] = new JsonArray(requests.Cast<JsonNode>().ToArray()) };
        var response = await Client.PostJsonAsync("$batch", batch);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response, []);
        }

        var body = await response.ReadJsonAsync();
        var byId = body["responses"]!.AsArray().ToDictionary(r => (string)r!["id"]!, r => r!.AsObject());
        return (response, byId);
    }

    [Test]
    public async Task Mixed_reads_and_creates_each_get_their_own_response()
    {
        var existing = (string)(await Client.CreateRunAsync(RunBodies.Incoming()))["id"]!;

        var (response, byId) = await SendAsync(
            Request("create", "POST", "runs", RunBodies.Outgoing().With("displayName", "From batch")),
            Request("read", "GET", $"runs('{existing}')"),
            Request("absolute", "GET", "http://localhost/runs/$count"),
            Request("slash", "GET", "/runs?$filter=displayName%20eq%20%27From%20batch%27&$select=displayName"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((int?)byId["create"]["status"], Is.EqualTo(201));
            Assert.That((string?)byId["create"]["headers"]!["location"], Does.StartWith("http://localhost/runs('"));
            Assert.That((string?)byId["create"]["body"]!["@odata.type"], Is.EqualTo(RunBodies.OutgoingType));
            Assert.That((int?)byId["read"]["status"], Is.EqualTo(200));
            Assert.That((string?)byId["read"]["body"]!["id"], Is.EqualTo(existing));
            Assert.That((string?)byId["absolute"]["body"], Is.EqualTo("2"));
            Assert.That(byId["slash"]["body"]!["value"]!.AsArray().Select(r => (string?)r!["displayName"]), Is.EqualTo(new[] { "From batch" }));
        });
        Assert.That(await Host.CountRunsAsync(), Is.EqualTo(2));
    }

    [Test]
    public async Task A_head_request_answers_the_status_and_headers_of_get_without_a_body()
    {
        var existing = (string)(await Client.CreateRunAsync(RunBodies.Incoming()))["id"]!;

        var (response, byId) = await SendAsync(
            Request("get", "GET", $"runs('{existing}')/displayName"),
            Request("head", "HEAD", $"runs('{existing}')/displayName"),
            Request("missing", "HEAD", "runs('missing')"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((int?)byId["head"]["status"], Is.EqualTo(200));
            Assert.That(byId["head"]["headers"]!["content-type"]!.ToJsonString(), Is.EqualTo(byId["get"]["headers"]!["content-type"]!.ToJsonString()));
            Assert.That(byId["head"].ContainsKey("body"), Is.False, byId["head"].ToJsonString());
            Assert.That((int?)byId["missing"]["status"], Is.EqualTo(404));
            Assert.That(byId["missing"].ContainsKey("body"), Is.False, byId["missing"].ToJsonString());
        });
    }

    [Test]
    public async Task An_atomicity_group_with_one_invalid_member_stores_nothing_and_every_member_fails()
    {
        var (_, byId) = await SendAsync(
            Request("a", "POST", "runs", RunBodies.Outgoing(), "group"),
            Request("b", "POST", "runs", RunBodies.Outgoing().With("status", "paused"), "group"),
            Request("c", "POST", "runs", RunBodies.Incoming(), "group"),
            Request("independent", "POST", "runs", RunBodies.Incoming().With("displayName", "Independent")));

        Assert.Multiple(() =>
        {
            Assert.That((int?)byId["a"]["status"], Is.EqualTo(424));
            Assert.That((string?)byId["a"]["body"]!["error"]!["innerError"]!["code"], Is.EqualTo("rolledBack"));
            Assert.That((int?)byId["b"]["status"], Is.EqualTo(400));
            Assert.That((string?)byId["b"]["body"]!["error"]!["innerError"]!["code"], Is.EqualTo("invalidEnumValue"));
            Assert.That((int?)byId["c"]["status"], Is.EqualTo(424));
            Assert.That((int?)byId["independent"]["status"], Is.EqualTo(201));
        });
        var stored = await Client.GetJsonAsync("runs?$select=displayName");
        Assert.That(stored["value"]!.AsArray().Select(r => (string?)r!["displayName"]), Is.EqualTo(new[] { "Independent" }));
    }

    [Test]
    public async Task A_content_id_reference_patches_the_run_created_earlier_in_the_group()
    {
        var (_, byId) = await SendAsync(
            Request("1", "POST", "runs", RunBodies.Outgoing().With("status", "running"), "g"),
            Request("2", "PATCH", "$1", new JsonObject { ["status"] = "completed" }, "g"),
            Request("3", "GET", "$1?$select=status", dependsOn: "g"));

        Assert.Multiple(() =>
        {
            Assert.That((int?)byId["1"]["status"], Is.EqualTo(201));
            Assert.That((int?)byId["2"]["status"], Is.EqualTo(204));
            Assert.That((int?)byId["3"]["status"], Is.EqualTo(200));
            Assert.That((string?)byId["3"]["body"]!["status"], Is.EqualTo("completed"));
        });
    }

    [Test]
    public async Task A_request_whose_dependency_failed_gets_424_and_does_not_run()
    {
        var (_, byId) = await SendAsync(
            Request("bad", "POST", "runs", RunBodies.Outgoing().Without("statistics")),
            Request("after", "POST", "runs", RunBodies.Outgoing(), dependsOn: "bad"),
            Request("unrelated", "GET", "runs/$count"));

        Assert.Multiple(() =>
        {
            Assert.That((int?)byId["bad"]["status"], Is.EqualTo(400));
            Assert.That((int?)byId["after"]["status"], Is.EqualTo(424));
            Assert.That((string?)byId["after"]["body"]!["error"]!["code"], Is.EqualTo("failedDependency"));
            Assert.That((int?)byId["unrelated"]["status"], Is.EqualTo(200));
        });
        Assert.That(await Host.CountRunsAsync(), Is.Zero);
    }

    [Test]
    public async Task Twenty_one_requests_are_a_400_and_nothing_runs()
    {
        var requests = Enumerable.Range(1, 21).Select(i => Request(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "POST", "runs", RunBodies.Outgoing())).ToArray();

        var (response, _) = await SendAsync(requests);

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "tooManyRequests");
        Assert.That((string?)error["message"], Does.Contain("20"));
        Assert.That(await Host.CountRunsAsync(), Is.Zero);
    }

    [Test]
    public async Task Twenty_creates_in_one_batch_are_all_stored()
    {
        var requests = Enumerable.Range(1, 20).Select(i => Request(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "POST", "runs", RunBodies.Outgoing())).ToArray();

        var (_, byId) = await SendAsync(requests);

        Assert.That(byId.Values.Select(r => (int?)r["status"]), Is.All.EqualTo(201));
        Assert.That(await Host.CountRunsAsync(), Is.EqualTo(20));
    }

    [TestCase("""{"requests":[{"id":"1","method":"GET","url":"runs"},{"id":"1","method":"GET","url":"runs"}]}""", "duplicateRequestId")]
    [TestCase("""{"requests":[{"id":"1","method":"GET"}]}""", "invalidBatch")]
    [TestCase("""{"requests":{}}""", "invalidBatch")]
    [TestCase("""{"requests":[{"id":"1","method":"GET","url":"runs"}""", "invalidBatch")]
    [TestCase("""{"requests":[]}""", "emptyBatch")]
    [TestCase("""{"requests":[{"id":"1","method":"TRACE","url":"runs"}]}""", "invalidMethod")]
    [TestCase("""{"requests":[{"id":"1","method":"GET","url":"runs","dependsOn":["2"]},{"id":"2","method":"GET","url":"runs"}]}""", "invalidDependsOn")]
    [TestCase("""{"requests":[{"id":"1","method":"GET","url":"runs","atomicityGroup":"g"},{"id":"2","method":"GET","url":"runs"},{"id":"3","method":"GET","url":"runs","atomicityGroup":"g"}]}""", "atomicityGroupNotAdjacent")]
    public async Task A_malformed_batch_is_a_400(string body, string innerCode)
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "$batch", body);

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, innerCode);
    }

    [Test]
    public async Task Sub_requests_pass_authorization_like_direct_requests()
    {
        using var reader = Host.CreateAuthorizedClient(TestTokens.Read());
        var batch = new JsonObject
        {
            ["requests"] = new JsonArray(
                Request("write", "POST", "runs", RunBodies.Outgoing()),
                Request("read", "GET", "runs"),
                Request("anonymous", "GET", "runs", body: null) is var anonymous ? anonymous.With("headers", new JsonObject { ["Authorization"] = "Bearer not-a-token" }) : null),
        };

        using var response = await reader.PostJsonAsync("$batch", batch);
        var byId = (await response.ReadJsonAsync())["responses"]!.AsArray().ToDictionary(r => (string)r!["id"]!, r => r!);

        Assert.Multiple(() =>
        {
            Assert.That((int?)byId["write"]["status"], Is.EqualTo(403));
            Assert.That((string?)byId["write"]["body"]!["error"]!["innerError"]!["code"], Is.EqualTo("missingPermission"));
            Assert.That((int?)byId["read"]["status"], Is.EqualTo(200));
            Assert.That((int?)byId["anonymous"]["status"], Is.EqualTo(401));
        });
        Assert.That(await Host.CountRunsAsync(), Is.Zero);
    }

    [Test]
    public async Task A_nested_batch_is_refused()
    {
        var (_, byId) = await SendAsync(Request("inner", "POST", "$batch", new JsonObject { ["requests"] = new JsonArray() }));

        Assert.That((int?)byId["inner"]["status"], Is.EqualTo(400));
    }

    [Test]
    public async Task A_batch_with_another_content_type_is_a_415()
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "$batch", "{}", "text/plain");

        await response.AssertGraphErrorAsync(HttpStatusCode.UnsupportedMediaType, "unsupportedMediaType");
    }

    [Test]
    public async Task Requests_after_batches_work_on_their_own_connections_and_commit()
    {
        // Batch parts run on contexts enlisted in the batch's transaction; plain requests lease pooled contexts.
        // Were an enlisted context returned to the pool, later requests would run on a finished batch's connection.
        for (var i = 0; i < 4; i++)
        {
            var (response, _) = await SendAsync(
                Request("kept", "POST", "runs", RunBodies.Outgoing().With("displayName", $"Batch {i}")),
                Request("doomed", "POST", "runs", RunBodies.Outgoing(), group: "g"),
                Request("invalid", "POST", "runs", RunBodies.Outgoing().Without("displayName"), group: "g"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add((string)(await Client.CreateRunAsync(RunBodies.Incoming().With("displayName", $"After {i}")))["id"]!);
            var read = await Client.GetJsonAsync($"runs('{ids[^1]}')");
            Assert.That((string?)read["displayName"], Is.EqualTo($"After {i}"));
        }

        Assert.That(await Host.CountRunsAsync(), Is.EqualTo(4 + 12), "the four kept batch runs and every later create are committed; no doomed run is");
    }
}
