using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// Every OData URL form of one run (contract §2) answers GET, HEAD, PATCH, PUT and DELETE exactly as runs('{id}')
/// does, with or without a route prefix; a cast to the other type is a 404 for every method.
/// </summary>
[TestFixture("")]
[TestFixture("v1.0")]
public sealed class KeyFormTests(string routePrefix) : ApiFixture
{
    private const string Namespace = "microsoft.graph.industryData.";

    private readonly CapturedLogs logs = new();

    /// <summary>{0} is the id, {1} the qualified name of a type cast.</summary>
    public static IEnumerable<string> Forms() =>
    [
        "runs('{0}')", "runs/{0}", "runs(id='{0}')",
        "runs('{0}')/{1}", "runs/{0}/{1}", "runs(id='{0}')/{1}",
        "runs/{1}('{0}')", "runs/{1}(id='{0}')", "runs/{1}/{0}",
    ];

    public static IEnumerable<string> CastForms() => Forms().Where(form => form.Contains("{1}", StringComparison.Ordinal));

    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["ODataApi:RoutePrefix"] = routePrefix };

    protected override void ConfigureLogging(ILoggingBuilder logging) => logging.AddProvider(logs);

    [SetUp]
    public void UseServiceRoot() => Client.BaseAddress = new Uri(Client.BaseAddress!, routePrefix.Length == 0 ? "/" : "/" + routePrefix + "/");

    [Test]
    public async Task Get_answers_every_form_with_the_same_status_headers_and_body([ValueSource(nameof(Forms))] string form)
    {
        var id = await CreateAsync(RunBodies.Incoming());
        var canonical = await AnswerAsync(HttpMethod.Get, $"runs('{id}')");

        var answer = await AnswerAsync(HttpMethod.Get, Url(form, id, "incomingFlowRun"));

        Assert.Multiple(() =>
        {
            Assert.That(canonical.Status, Is.EqualTo(200), canonical.Body);
            Assert.That(answer, Is.EqualTo(canonical));
        });
    }

    [Test]
    public async Task Head_answers_every_form_with_the_headers_of_get_and_no_body([ValueSource(nameof(Forms))] string form)
    {
        var id = await CreateAsync(RunBodies.Outgoing());
        var url = Url(form, id, "outgoingFlowRun");
        var get = await AnswerAsync(HttpMethod.Get, url);

        var head = await AnswerAsync(HttpMethod.Head, url);

        Assert.Multiple(() =>
        {
            Assert.That(head.Status, Is.EqualTo(200));
            Assert.That(head.Headers, Is.EqualTo(get.Headers));
            Assert.That(head.Body, Is.Empty);
        });
    }

    [Test]
    public async Task Patch_through_every_form_changes_the_run_and_answers_as_runs_key_does([ValueSource(nameof(Forms))] string form)
    {
        var id = await CreateAsync(RunBodies.Outgoing());
        var patch = """{"displayName":"Patched","status":"failed"}""";
        var canonicalId = await CreateAsync(RunBodies.Outgoing());
        var canonical = await AnswerAsync(HttpMethod.Patch, $"runs('{canonicalId}')", patch, ("Prefer", "return=representation"));

        var answer = await AnswerAsync(HttpMethod.Patch, Url(form, id, "outgoingFlowRun"), patch, ("Prefer", "return=representation"));
        var read = await Client.GetJsonAsync($"runs('{id}')");

        Assert.Multiple(() =>
        {
            Assert.That(answer.Status, Is.EqualTo(200), answer.Body);
            Assert.That(answer.Body, Is.EqualTo(canonical.Body.Replace(canonicalId, id, StringComparison.Ordinal)));
            Assert.That(answer.Headers, Is.EqualTo(canonical.Headers));
            Assert.That((string?)read["displayName"], Is.EqualTo("Patched"));
            Assert.That((string?)read["@odata.etag"], Is.EqualTo("W/\"2\""));
        });
    }

    [Test]
    public async Task Put_through_every_form_replaces_the_run([ValueSource(nameof(Forms))] string form)
    {
        var id = await CreateAsync(RunBodies.Incoming());
        var replacement = RunBodies.Incoming().With("displayName", "Replaced").Without("endDateTime").ToJsonString();

        var answer = await AnswerAsync(HttpMethod.Put, Url(form, id, "incomingFlowRun"), replacement);
        var read = await Client.GetJsonAsync($"runs('{id}')");

        Assert.Multiple(() =>
        {
            Assert.That(answer.Status, Is.EqualTo(204), answer.Body);
            Assert.That(answer.Header("ETag"), Is.EqualTo("W/\"2\""));
            Assert.That((string?)read["displayName"], Is.EqualTo("Replaced"));
            Assert.That(read["endDateTime"], Is.Null);
        });
    }

    [Test]
    public async Task Delete_through_every_form_removes_the_run_and_a_second_delete_is_a_404([ValueSource(nameof(Forms))] string form)
    {
        var id = await CreateAsync(RunBodies.Outgoing());
        var url = Url(form, id, "outgoingFlowRun");

        var first = await AnswerAsync(HttpMethod.Delete, url);
        using var second = await Client.DeleteAsync(url);
        using var read = await Client.GetAsync($"runs('{id}')");

        Assert.That(first.Status, Is.EqualTo(204), first.Body);
        await second.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
        await read.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
    }

    [Test]
    public async Task A_cast_to_the_other_type_is_a_404_for_every_method_and_changes_nothing(
        [ValueSource(nameof(CastForms))] string form, [Values("GET", "HEAD", "PATCH", "PUT", "DELETE")] string method)
    {
        var id = await CreateAsync(RunBodies.Incoming());
        var before = await AnswerAsync(HttpMethod.Get, $"runs('{id}')");
        var body = method is "PATCH" ? """{"displayName":"Changed"}""" : method is "PUT" ? RunBodies.Outgoing().ToJsonString() : null;

        using var request = Request(new HttpMethod(method), Url(form, id, "outgoingFlowRun"), body);
        using var response = await Client.SendAsync(request);
        var after = await AnswerAsync(HttpMethod.Get, $"runs('{id}')");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        if (method != "HEAD")
        {
            var error = await response.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
            Assert.That((string?)error["message"], Does.StartWith($"No outgoingFlowRun has the id '{id}'"));
        }

        Assert.That(after, Is.EqualTo(before));
    }

    [Test]
    public async Task An_unknown_id_is_the_same_404_in_every_form([ValueSource(nameof(Forms))] string form, [Values("GET", "PATCH", "DELETE")] string method)
    {
        const string id = "0000-missing";
        var body = method is "PATCH" ? """{"displayName":"Changed"}""" : null;
        using var canonicalRequest = Request(new HttpMethod(method), $"runs('{id}')/microsoft.graph.industryData.outgoingFlowRun", body);
        using var canonical = await Client.SendAsync(canonicalRequest);
        var expected = form.Contains("{1}", StringComparison.Ordinal) ? await MessageAsync(canonical) : $"No run has the id '{id}'.";

        using var request = Request(new HttpMethod(method), Url(form, id, "outgoingFlowRun"), body);
        using var response = await Client.SendAsync(request);

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
        Assert.That((string?)error["message"], Does.StartWith(expected.TrimEnd('.')));
    }

    [Test]
    public async Task Preconditions_apply_in_every_form([ValueSource(nameof(Forms))] string form)
    {
        var id = await CreateAsync(RunBodies.Outgoing());
        var url = Url(form, id, "outgoingFlowRun");

        var notModified = await AnswerAsync(HttpMethod.Get, url, null, ("If-None-Match", "W/\"1\""));
        var stale = await AnswerAsync(HttpMethod.Patch, url, """{"displayName":"x"}""", ("If-Match", "W/\"7\""));
        var current = await AnswerAsync(HttpMethod.Delete, url, null, ("If-Match", "W/\"1\""));

        Assert.Multiple(() =>
        {
            Assert.That(notModified.Status, Is.EqualTo(304));
            Assert.That(stale.Status, Is.EqualTo(412), stale.Body);
            Assert.That(current.Status, Is.EqualTo(204), current.Body);
        });
    }

    [Test]
    public async Task Routing_any_form_logs_no_error()
    {
        var id = await CreateAsync(RunBodies.Outgoing());
        logs.Drain();

        foreach (var form in Forms())
        {
            foreach (var type in new[] { "outgoingFlowRun", "incomingFlowRun" })
            {
                using var response = await Client.GetAsync(Url(form, id, type));
                Assert.That((int)response.StatusCode, Is.AnyOf(200, 404), Url(form, id, type));
            }
        }

        Assert.That(logs.Drain(), Is.Empty);
    }

    private static string Url(string form, string id, string type) => string.Format(System.Globalization.CultureInfo.InvariantCulture, form, id, Namespace + type);

    private async Task<string> CreateAsync(JsonObject body) => (string)(await Client.CreateRunAsync(body))["id"]!;

    private static async Task<string> MessageAsync(HttpResponseMessage response) =>
        (string)(await response.ReadJsonAsync())["error"]!["message"]!;

    private static HttpRequestMessage Request(HttpMethod method, string url, string? body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private async Task<Answer> AnswerAsync(HttpMethod method, string url, string? body = null, params (string Name, string Value)[] headers)
    {
        using var request = Request(method, url, body, headers);
        using var response = await Client.SendAsync(request);
        return await Answer.ReadAsync(response);
    }
}
