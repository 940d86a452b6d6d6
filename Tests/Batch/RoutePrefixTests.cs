using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Batch;

/// <summary>
/// Under a route prefix (ODataApi:RoutePrefix=v1.0, where Graph's clients expect a version root) batch steps written
/// the way Microsoft Graph's .NET library writes them work, and every path an error message suggests is under the
/// prefix (issue 14, item 8).
/// </summary>
public class RoutePrefixTests : ApiFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["ODataApi:RoutePrefix"] = "v1.0" };

    [Test]
    public async Task Batch_urls_with_a_leading_slash_resolve_against_the_service_root_and_from_the_host_root()
    {
        await Client.CreateRunAsync(RunBodies.Outgoing(), "v1.0/runs");
        var batch = new JsonObject
        {
            ["requests"] = new JsonArray(
                Step("graph-style", "GET", "/runs?$top=1"),
                Step("host-root", "GET", "/v1.0/runs?$top=1"),
                Step("relative", "GET", "runs?$top=1"),
                Step("count", "GET", "/runs/$count"),
                Step("create", "POST", "/runs", RunBodies.Incoming()),
                Step("read-created", "GET", "$create", dependsOn: "create")),
        };

        using var response = await Client.PostJsonAsync("v1.0/$batch", batch);

        var body = await response.ReadJsonAsync();
        var byId = body["responses"]!.AsArray().ToDictionary(r => (string)r!["id"]!, r => r!.AsObject());
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            foreach (var id in new[] { "graph-style", "host-root", "relative" })
            {
                Assert.That((int)byId[id]["status"]!, Is.EqualTo(200), $"{id}: {byId[id]}");
                Assert.That(byId[id]["body"]!["value"]!.AsArray(), Has.Count.EqualTo(1), id);
                Assert.That((string?)byId[id]["body"]!["@odata.context"], Does.Contain("/v1.0/$metadata#runs"), id);
            }

            Assert.That((int)byId["count"]["status"]!, Is.EqualTo(200), byId["count"].ToJsonString());
            Assert.That((int)byId["create"]["status"]!, Is.EqualTo(201), byId["create"].ToJsonString());
            Assert.That((string?)byId["create"]["headers"]!["location"], Does.Contain("/v1.0/runs('"));
            Assert.That((int)byId["read-created"]["status"]!, Is.EqualTo(200), byId["read-created"].ToJsonString());
        });
    }

    [Test]
    public async Task A_multipart_batch_request_line_with_a_leading_slash_resolves_against_the_service_root()
    {
        var body = "--b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nGET /runs/$count HTTP/1.1\r\n\r\n\r\n--b--\r\n";
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/mixed; boundary=b");

        using var response = await Client.PostAsync("v1.0/$batch", content);

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(text, Does.Contain("HTTP/1.1 200 OK"));
    }

    [TestCase("v1.0/nothing-here", TestName = "A 404 inside the service root names paths under it")]
    [TestCase("nothing-here", TestName = "A 404 outside the service root names paths under it")]
    public async Task Not_found_hints_name_the_service_root(string url)
    {
        using var response = await Client.GetAsync(url);

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
        Assert.That((string?)error["message"], Does.Contain("'/v1.0/'").And.Contain("'/v1.0/$metadata'").And.Contain("'/v1.0/runs'"));
    }

    [Test]
    public async Task An_unknown_id_hint_names_the_service_root()
    {
        using var response = await Client.GetAsync("v1.0/runs('no-such-run')");

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
        Assert.That((string?)error["message"], Does.EndWith("list runs with GET /v1.0/runs."));
    }

    [Test]
    public async Task A_create_without_a_type_hint_names_the_service_root()
    {
        using var response = await Client.PostJsonAsync("v1.0/runs", RunBodies.Outgoing().Without("@odata.type"));

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "missingODataType", "@odata.type");
        Assert.That((string?)error["message"], Does.Contain("POST to /v1.0/runs/<type name>"));
    }

    private static JsonObject Step(string id, string method, string url, JsonObject? body = null, string? dependsOn = null)
    {
        var step = new JsonObject { ["id"] = id, ["method"] = method, ["url"] = url };
        if (body is not null)
        {
            step["body"] = body;
            step["headers"] = new JsonObject { ["Content-Type"] = "application/json" };
        }

        if (dependsOn is not null)
        {
            step["dependsOn"] = new JsonArray(dependsOn);
        }

        return step;
    }
}
