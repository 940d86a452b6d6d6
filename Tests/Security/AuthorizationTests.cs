using System.Net;
using System.Net.Http.Headers;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Security;

/// <summary>Every route × every kind of token → the documented status, with the error shape on 401/403.</summary>
public class AuthorizationTests
{
    private const string Cast = "microsoft.graph.industryData.outgoingFlowRun";

    private SqliteTestDatabase database = null!;
    private ServiceHost host = null!;
    private HttpClient writer = null!;

    private static readonly (string Method, string Url, bool Writes, HttpStatusCode Success)[] Routes =
    [
        ("GET", "runs", false, HttpStatusCode.OK),
        ("GET", $"runs/{Cast}", false, HttpStatusCode.OK),
        ("GET", "runs/$count", false, HttpStatusCode.OK),
        ("GET", "runs('{id}')", false, HttpStatusCode.OK),
        ("GET", "runs/{id}", false, HttpStatusCode.OK),
        ("GET", $"runs('{{id}}')/{Cast}", false, HttpStatusCode.OK),
        ("POST", "runs", true, HttpStatusCode.Created),
        ("POST", $"runs/{Cast}", true, HttpStatusCode.Created),
        ("PATCH", "runs('{id}')", true, HttpStatusCode.NoContent),
        ("PUT", "runs('{id}')", true, HttpStatusCode.NoContent),
        ("DELETE", "runs('{id}')", true, HttpStatusCode.NoContent),
    ];

    private static readonly (string Name, Func<string?> Token, HttpStatusCode? Status, string? InnerCode)[] Tokens =
    [
        ("no token", () => null, HttpStatusCode.Unauthorized, "missingToken"),
        ("a malformed token", () => "not.a.jwt", HttpStatusCode.Unauthorized, "invalidToken"),
        ("an expired token", TestTokens.Expired, HttpStatusCode.Unauthorized, "invalidToken"),
        ("a not-yet-valid token", TestTokens.NotYetValid, HttpStatusCode.Unauthorized, "invalidToken"),
        ("a wrong-audience token", TestTokens.WrongAudience, HttpStatusCode.Unauthorized, "invalidToken"),
        ("a wrong-issuer token", TestTokens.WrongIssuer, HttpStatusCode.Unauthorized, "invalidToken"),
        ("a badly signed token", TestTokens.BadSignature, HttpStatusCode.Unauthorized, "invalidToken"),
        ("a token without the permission", () => TestTokens.Delegated("User.Read"), HttpStatusCode.Forbidden, "missingPermission"),
        ("a read-only token", () => TestTokens.Read(), null, "missingPermission"),
        ("a write token", () => TestTokens.Write(), null, null),
        ("an application write role", () => TestTokens.Application(TestTokens.ReadWriteAll), null, null),
        ("an application read role", () => TestTokens.Application(TestTokens.ReadAll), null, "missingPermission"),
    ];

    public static IEnumerable<TestCaseData> Cases() =>
        from route in Routes
        from token in Tokens
        let status = token.Status ?? (token.InnerCode is not null && route.Writes ? HttpStatusCode.Forbidden : route.Success)
        select new TestCaseData(route.Method, route.Url, token.Token, status, status >= HttpStatusCode.BadRequest ? token.InnerCode : null)
            .SetName($"{route.Method} {route.Url} with {token.Name} is {(int)status}");

    [OneTimeSetUp]
    public void StartService()
    {
        database = new SqliteTestDatabase();
        host = new ServiceHost(database);
        writer = host.CreateAuthorizedClient();
    }

    [OneTimeTearDown]
    public async Task StopServiceAsync()
    {
        writer.Dispose();
        await host.DisposeAsync();
        await database.DisposeAsync();
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Route_with_token_answers_as_specified(string method, string url, Func<string?> token, HttpStatusCode expected, string? innerCode)
    {
        var id = (string)(await writer.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        using var request = new HttpRequestMessage(new HttpMethod(method), url.Replace("{id}", id, StringComparison.Ordinal));
        if (method is "POST" or "PUT" or "PATCH")
        {
            var body = method == "PATCH" ? "{\"displayName\":\"Renamed\"}" : RunBodies.Outgoing().ToJsonString();
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        if (token() is { } value)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", value);
        }

        using var client = host.CreateGuardedClient();
        using var response = await client.SendAsync(request);

        if (innerCode is null)
        {
            Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
            return;
        }

        await response.AssertGraphErrorAsync(expected, innerCode);
        if (expected == HttpStatusCode.Unauthorized)
        {
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
        }
    }

    [TestCase("")]
    [TestCase("$metadata")]
    [TestCase("health")]
    public async Task Service_document_metadata_and_health_are_anonymous(string url)
    {
        using var client = host.CreateGuardedClient();

        using var response = await client.GetAsync(url);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task An_expired_token_is_told_that_it_expired()
    {
        using var client = host.CreateAuthorizedClient(TestTokens.Expired());

        using var response = await client.GetAsync("runs");

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.Unauthorized, "invalidToken");
        Assert.Multiple(() =>
        {
            Assert.That((string?)error["message"], Does.Contain("expired"));
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.Contain("error=\"invalid_token\""));
        });
    }

    [Test]
    public async Task A_forbidden_write_says_which_permission_is_missing()
    {
        using var client = host.CreateAuthorizedClient(TestTokens.Read());

        using var response = await client.PostJsonAsync("runs", RunBodies.Outgoing());

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.Forbidden, "missingPermission");
        Assert.That((string?)error["message"], Does.Contain(TestTokens.ReadWriteAll));
    }
}
