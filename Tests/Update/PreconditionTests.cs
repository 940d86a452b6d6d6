using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Update;

/// <summary>
/// If-Match and If-None-Match on writes (OData Protocol §8.2.4, §8.2.5; contract §5) beyond a stale ETag
/// (<see cref="ConcurrencyTests"/>): If-None-Match on an existing run, and If-Match on a run that does not exist.
/// </summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class PreconditionTests(TestProvider provider) : ApiFixture(provider)
{
    private const string Cast = "microsoft.graph.industryData.outgoingFlowRun";
    private const string MissingId = "01a22771-e5e4-7473-9a30-d7705f1575a4";

    private Task<HttpResponseMessage> SendAsync(string method, string url, string header, string value) =>
        Client.SendJsonAsync(new HttpMethod(method), url, RunBodies.Outgoing().ToJsonString(),
            headers: new Dictionary<string, string> { [header] = value });

    [TestCase("PATCH")]
    [TestCase("PUT")]
    public async Task If_none_match_star_on_an_existing_run_is_a_412_and_changes_nothing(string method)
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing().With("displayName", "Before")))["id"]!;
        var before = (await Client.GetJsonAsync($"runs('{id}')")).ToJsonString();

        using var response = await Client.SendJsonAsync(new HttpMethod(method), $"runs('{id}')", RunBodies.Outgoing().With("displayName", "After").ToJsonString(),
            headers: new Dictionary<string, string> { ["If-None-Match"] = "*" });

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.PreconditionFailed, "runExists", "If-None-Match");
        Assert.That((string?)error["message"], Does.Contain("If-Match"));
        Assert.That((await Client.GetJsonAsync($"runs('{id}')")).ToJsonString(), Is.EqualTo(before));
    }

    [TestCase("PATCH")]
    [TestCase("PUT")]
    [TestCase("DELETE")]
    public async Task If_none_match_with_the_current_etag_is_a_412_and_changes_nothing(string method)
    {
        var created = await Client.CreateRunAsync(RunBodies.Outgoing());
        var id = (string)created["id"]!;
        var before = (await Client.GetJsonAsync($"runs('{id}')")).ToJsonString();

        using var response = await SendAsync(method, $"runs('{id}')", "If-None-Match", (string)created["@odata.etag"]!);

        await response.AssertGraphErrorAsync(HttpStatusCode.PreconditionFailed, "etagMatch", "If-None-Match");
        Assert.That((await Client.GetJsonAsync($"runs('{id}')")).ToJsonString(), Is.EqualTo(before));
    }

    [TestCase("PATCH")]
    [TestCase("PUT")]
    [TestCase("DELETE")]
    public async Task If_none_match_with_another_etag_lets_the_write_through(string method)
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;

        using var response = await SendAsync(method, $"runs('{id}')", "If-None-Match", "W/\"999\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
    }

    [TestCase("PATCH", "*")]
    [TestCase("PUT", "*")]
    [TestCase("DELETE", "*")]
    [TestCase("PATCH", "W/\"1\"")]
    [TestCase("PUT", "W/\"1\"")]
    [TestCase("DELETE", "W/\"1\"")]
    public async Task If_match_on_a_run_that_does_not_exist_is_a_412_and_creates_nothing(string method, string ifMatch)
    {
        using var response = await SendAsync(method, $"runs('{MissingId}')", "If-Match", ifMatch);

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.PreconditionFailed, "resourceNotFound", "If-Match");
        Assert.That((string?)error["message"], Does.Contain(MissingId));
        await Client.GetJsonAsync($"runs('{MissingId}')", expectedStatus: 404);
    }

    [TestCase("PATCH")]
    [TestCase("DELETE")]
    public async Task If_match_on_a_deleted_run_is_a_412(string method)
    {
        var created = await Client.CreateRunAsync(RunBodies.Outgoing());
        var id = (string)created["id"]!;
        using (var delete = await Client.DeleteAsync($"runs('{id}')"))
        {
            Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        using var response = await SendAsync(method, $"runs('{id}')", "If-Match", (string)created["@odata.etag"]!);

        await response.AssertGraphErrorAsync(HttpStatusCode.PreconditionFailed, "resourceNotFound", "If-Match");
    }

    [TestCase("PATCH")]
    [TestCase("DELETE")]
    public async Task If_match_through_a_cast_to_the_type_the_run_is_not_is_a_412(string method)
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Incoming()))["id"]!;

        using var response = await SendAsync(method, $"runs/{Cast}('{id}')", "If-Match", "*");

        await response.AssertGraphErrorAsync(HttpStatusCode.PreconditionFailed, "resourceNotFound", "If-Match");
        Assert.That((string?)(await Client.GetJsonAsync($"runs('{id}')"))["@odata.type"], Is.EqualTo(RunBodies.IncomingType));
    }

    [TestCase("PATCH")]
    [TestCase("PUT")]
    public async Task If_none_match_star_on_a_run_that_does_not_exist_is_a_404_because_runs_are_created_by_post(string method)
    {
        using var response = await SendAsync(method, $"runs('{MissingId}')", "If-None-Match", "*");

        await response.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
        await Client.GetJsonAsync($"runs('{MissingId}')", expectedStatus: 404);
    }

    [Test]
    public async Task A_malformed_if_none_match_on_a_write_is_a_400()
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;

        using var response = await SendAsync("PATCH", $"runs('{id}')", "If-None-Match", "not-an-etag");

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidETag", "If-None-Match");
    }

    [Test]
    public async Task A_faulty_body_is_still_a_400_before_the_if_match_of_a_missing_run()
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{MissingId}')", """{"status":"nope"}""",
            headers: new Dictionary<string, string> { ["If-Match"] = "*" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }
}
