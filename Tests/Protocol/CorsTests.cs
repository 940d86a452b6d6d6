using System.Net;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Protocol;

/// <summary>Browsers (issue 14, item 5): CORS from Cors:AllowedOrigins, preflight on every path, headers a script needs.</summary>
public class CorsTests : ApiFixture
{
    private const string Allowed = "https://app.contoso.test";

    private static readonly string[] RequestHeaders =
    [
        "authorization", "content-type", "if-match", "if-none-match", "prefer", "odata-version", "odata-maxversion", "client-request-id", "idempotency-key",
    ];

    private static readonly string[] ExposedHeaders = ["ETag", "Location", "OData-EntityId", "Preference-Applied", "request-id", "client-request-id", "Retry-After", "Idempotent-Replayed"];

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Cors:AllowedOrigins:0"] = Allowed,
        ["Cors:AllowedOrigins:1"] = "https://other.contoso.test",
        ["Throttling:PermitsPerWindow"] = "2",
        ["Throttling:Window"] = "00:01:00",
    };

    [TestCase("runs", "POST")]
    [TestCase("runs('01a22771-e5e4-7473-9a30-d7705f1575a4')", "PATCH")]
    [TestCase("runs('01a22771-e5e4-7473-9a30-d7705f1575a4')", "DELETE")]
    [TestCase("runs/microsoft.graph.industryData.outgoingFlowRun", "GET")]
    [TestCase("$batch", "POST")]
    [TestCase("$metadata", "GET")]
    [TestCase("", "GET")]
    [TestCase("health", "GET")]
    [TestCase("no/such/path", "PUT")]
    public async Task A_preflight_from_an_allowed_origin_is_answered_on_every_path(string path, string method)
    {
        using var anonymous = Host.CreateGuardedClient();

        using var response = await anonymous.SendAsync(Preflight(path, Allowed, method, string.Join(", ", RequestHeaders)));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(response.Header("Access-Control-Allow-Origin"), Is.EqualTo(Allowed));
            Assert.That(List(response, "Access-Control-Allow-Methods"), Is.SupersetOf(new[] { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE" }));
            Assert.That(List(response, "Access-Control-Allow-Headers").Select(h => h.ToLowerInvariant()), Is.SupersetOf(RequestHeaders));
            Assert.That(int.Parse(response.Header("Access-Control-Max-Age"), System.Globalization.CultureInfo.InvariantCulture), Is.Positive);
        });
    }

    [Test]
    public async Task Preflights_pass_throttling_and_the_OData_header_checks()
    {
        using var anonymous = Host.CreateGuardedClient();
        for (var i = 0; i < 5; i++)
        {
            var request = Preflight("runs", Allowed, "POST", "authorization, content-type");
            request.Headers.Add("OData-MaxVersion", "3.0");
            request.Headers.Add("Prefer", ";;;");
            using var response = await anonymous.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), $"preflight {i + 1}");
        }
    }

    [Test]
    public async Task Responses_to_an_allowed_origin_expose_the_headers_a_client_reads()
    {
        var create = new HttpRequestMessage(HttpMethod.Post, "runs") { Content = Json(RunBodies.Outgoing().ToJsonString()) };
        create.Headers.Add("Origin", Allowed);
        create.Headers.Add("client-request-id", "browser-1");

        using var response = await Client.SendAsync(create);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(response.Header("Access-Control-Allow-Origin"), Is.EqualTo(Allowed));
            Assert.That(List(response, "Access-Control-Expose-Headers").Select(h => h.ToLowerInvariant()), Is.SupersetOf(ExposedHeaders.Select(h => h.ToLowerInvariant())));
            Assert.That(response.Headers.Vary.Select(v => v.ToLowerInvariant()), Does.Contain("origin"));
        });
    }

    [Test]
    public async Task Errors_reach_an_allowed_origin_too()
    {
        using var anonymous = Host.CreateGuardedClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "runs");
        request.Headers.Add("Origin", Allowed);

        using var response = await anonymous.SendAsync(request);

        await response.AssertGraphErrorAsync(HttpStatusCode.Unauthorized, "missingToken");
        Assert.That(response.Header("Access-Control-Allow-Origin"), Is.EqualTo(Allowed));
    }

    [Test]
    public async Task A_disallowed_origin_gets_no_CORS_headers()
    {
        using var anonymous = Host.CreateGuardedClient();
        using var preflight = await anonymous.SendAsync(Preflight("runs", "https://evil.test", "POST", "authorization"));
        var get = new HttpRequestMessage(HttpMethod.Get, "runs");
        get.Headers.Add("Origin", "https://evil.test");
        using var read = await Client.SendAsync(get);

        Assert.Multiple(() =>
        {
            Assert.That(preflight.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(AccessControlHeaders(preflight), Is.Empty);
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(AccessControlHeaders(read), Is.Empty);
        });
    }

    [Test]
    public async Task Without_configured_origins_no_origin_is_allowed()
    {
        await using var unconfigured = new ServiceHost(Host.Database);
        using var anonymous = unconfigured.CreateGuardedClient();

        using var preflight = await anonymous.SendAsync(Preflight("runs", Allowed, "GET", "authorization"));

        Assert.Multiple(() =>
        {
            Assert.That(preflight.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(AccessControlHeaders(preflight), Is.Empty);
        });
    }

    [Test]
    public async Task Origins_may_be_given_as_one_comma_separated_value()
    {
        await using var host = new ServiceHost(Host.Database, new Dictionary<string, string?> { ["Cors:AllowedOrigins"] = "https://a.test, https://b.test/" });
        using var anonymous = host.CreateGuardedClient();

        using var preflight = await anonymous.SendAsync(Preflight("runs", "https://b.test", "GET", "authorization"));

        Assert.That(preflight.Header("Access-Control-Allow-Origin"), Is.EqualTo("https://b.test"));
    }

    private static HttpRequestMessage Preflight(string path, string origin, string method, string headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return request;
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    private static IEnumerable<string> List(HttpResponseMessage response, string name) =>
        response.Header(name).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static List<string> AccessControlHeaders(HttpResponseMessage response) =>
        response.Headers.Select(h => h.Key).Where(k => k.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)).ToList();
}
