using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.OpenApi;

/// <summary>GET {service root}/$openapi: edm/industryData.openapi.json with the request's service root as its server.</summary>
public class OpenApiEndpointTests
{
    private static JsonObject Committed() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "edm", "industryData.openapi.json")))!.AsObject();

    [TestCase("$openapi")]
    [TestCase("$openapi.json")]
    public async Task Served_anonymously_as_the_committed_file_with_the_service_root_as_server(string url)
    {
        await using var host = await StartAsync();
        using var client = host.CreateGuardedClient();
        using var response = await client.GetAsync(url);
        var served = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        var expected = Committed();
        expected["servers"] = new JsonArray(new JsonObject { ["url"] = "http://localhost" });

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(200));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(response.Headers.ETag?.IsWeak, Is.False, "a strong ETag");
            Assert.That(JsonNode.DeepEquals(served, expected), Is.True, "served document differs from edm/industryData.openapi.json beyond its server URL");
        });
    }

    [Test]
    public async Task Server_url_follows_the_route_prefix_and_the_host()
    {
        await using var host = await StartAsync(new() { ["ODataApi:RoutePrefix"] = "api/v1" });
        using var client = host.CreateGuardedClient();
        using var atRoot = await client.GetAsync("$openapi");
        var document = await client.GetJsonAsync("api/v1/$openapi");
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/$openapi") { Headers = { Host = "runs.example.test:8443" } };
        using var otherHost = await client.SendAsync(request);
        using var sameHost = await client.GetAsync("api/v1/$openapi");

        Assert.Multiple(async () =>
        {
            Assert.That((int)atRoot.StatusCode, Is.Not.EqualTo(200), "outside the service root there is no $openapi");
            Assert.That((string?)document["servers"]![0]!["url"], Is.EqualTo("http://localhost/api/v1"));
            Assert.That((string?)(await otherHost.ReadJsonAsync())["servers"]![0]!["url"], Is.EqualTo("http://runs.example.test:8443/api/v1"));
            Assert.That(otherHost.Headers.ETag, Is.Not.EqualTo(sameHost.Headers.ETag), "another body, another ETag");
        });
    }

    [Test]
    public async Task If_none_match_with_the_etag_is_304_and_head_has_no_body()
    {
        await using var host = await StartAsync();
        using var client = host.CreateGuardedClient();
        using var first = await client.GetAsync("$openapi");
        var etag = first.Headers.ETag!.Tag;
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "$openapi") { Headers = { { "If-None-Match", etag } } };
        using var notModified = await client.SendAsync(revalidate);
        using var stale = new HttpRequestMessage(HttpMethod.Get, "$openapi") { Headers = { { "If-None-Match", "\"other\"" } } };
        using var modified = await client.SendAsync(stale);
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "$openapi"));

        Assert.Multiple(async () =>
        {
            Assert.That((int)notModified.StatusCode, Is.EqualTo(304));
            Assert.That(notModified.Headers.ETag?.Tag, Is.EqualTo(etag));
            Assert.That(await notModified.Content.ReadAsByteArrayAsync(), Is.Empty);
            Assert.That((int)modified.StatusCode, Is.EqualTo(200));
            Assert.That((int)head.StatusCode, Is.EqualTo(200));
            Assert.That(head.Headers.ETag?.Tag, Is.EqualTo(etag));
            Assert.That(await head.Content.ReadAsByteArrayAsync(), Is.Empty);
        });
    }

    [Test]
    public async Task Api_page_is_off_unless_enabled_and_then_anonymous()
    {
        await using (var off = await StartAsync())
        {
            using var client = off.CreateGuardedClient();
            using var response = await client.GetAsync("docs/index.html");
            Assert.That(response.StatusCode, Is.Not.EqualTo(HttpStatusCode.OK), "off outside Development by default");
        }

        await using var on = await StartAsync(new() { ["ApiPage:Enabled"] = "true", ["ODataApi:RoutePrefix"] = "api" });
        using var anonymous = on.CreateGuardedClient();
        using var page = await anonymous.GetAsync("api/docs/index.html");
        using var assets = on.CreateClient(); // JavaScript is full of the words the stack-trace guard looks for
        using var script = await assets.GetAsync("api/docs/swagger-ui-bundle.js");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That((int)page.StatusCode, Is.EqualTo(200), html);
            Assert.That(html, Does.Contain("swagger-ui-bundle.js").And.Not.Contain("https://"), "the page's own assets, nothing from outside");
            Assert.That((int)script.StatusCode, Is.EqualTo(200));
        });
    }

    private static async Task<Service> StartAsync(Dictionary<string, string?>? settings = null) =>
        new(new ServiceHost(await TestDatabase.CreateAsync(TestProvider.Sqlite), settings));

    /// <summary>An in-process service with settings of its own, disposed with its database.</summary>
    private sealed class Service(ServiceHost host) : IAsyncDisposable
    {
        public HttpClient CreateGuardedClient() => host.CreateGuardedClient();

        public HttpClient CreateClient() => host.CreateClient();

        public async ValueTask DisposeAsync()
        {
            await host.DisposeAsync();
            await host.Database.DisposeAsync();
        }
    }
}
