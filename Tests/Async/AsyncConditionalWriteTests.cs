using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Async;

/// <summary>
/// Prefer: respond-async on a conditional write (If-Match, If-None-Match): accepted (202) like any write; its
/// precondition is evaluated when the job runs, and a failed one is the 412 inside the monitor's application/http result.
/// </summary>
public sealed class AsyncConditionalWriteTests : ApiFixture
{
    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["AsyncRequests:PollInterval"] = "00:00:00.100",
    };

    private static Task<HttpResponseMessage> SendAsyncAsync(HttpClient client, HttpMethod method, string url, string body, string header, string etag) =>
        client.SendJsonAsync(method, url, body, headers: new Dictionary<string, string> { ["Prefer"] = "respond-async", [header] = etag });

    [Test]
    public async Task A_conditional_write_is_accepted_and_its_precondition_decides_the_final_response()
    {
        var created = await Client.CreateRunAsync(RunBodies.Outgoing());
        var id = (string)created["id"]!;
        var etag = (string)created["@odata.etag"]!;
        var rename = """{"displayName":"Renamed"}""";

        using var stale = await SendAsyncAsync(Client, HttpMethod.Patch, $"runs('{id}')", rename, "If-Match", "W/\"999\"");
        using var staleFinal = await AsyncRequestTests.AwaitFinalAsync(Client, stale.Headers.Location!);
        var (staleStatus, _, staleBody) = await AsyncRequestTests.ReadMessageAsync(staleFinal);
        using var noneMatch = await SendAsyncAsync(Client, HttpMethod.Put, $"runs('{id}')", RunBodies.Outgoing().ToJsonString(), "If-None-Match", "*");
        using var noneMatchFinal = await AsyncRequestTests.AwaitFinalAsync(Client, noneMatch.Headers.Location!);
        using var matching = await SendAsyncAsync(Client, HttpMethod.Patch, $"runs('{id}')", rename, "If-Match", etag);
        using var matchingFinal = await AsyncRequestTests.AwaitFinalAsync(Client, matching.Headers.Location!);

        Assert.Multiple(async () =>
        {
            Assert.That(new[] { stale.StatusCode, noneMatch.StatusCode, matching.StatusCode }, Is.All.EqualTo(HttpStatusCode.Accepted));
            Assert.That(staleFinal.Header("AsyncResult"), Is.EqualTo("412"));
            Assert.That(staleStatus, Is.EqualTo(412));
            Assert.That((string?)JsonNode.Parse(staleBody)!["error"]!["code"], Is.Not.Empty);
            Assert.That(noneMatchFinal.Header("AsyncResult"), Is.EqualTo("412"));
            Assert.That(matchingFinal.Header("AsyncResult"), Is.EqualTo("204"));
            Assert.That((string?)(await Client.GetJsonAsync($"runs('{id}')"))["displayName"], Is.EqualTo("Renamed"));
        });
    }

    [Test]
    public async Task The_precondition_is_evaluated_when_the_job_runs_so_a_change_made_meanwhile_is_a_412()
    {
        // Accepted by an instance that runs no jobs; the run changes while the write waits; then an instance runs it.
        var idle = new ServiceHost(Host.Database, new Dictionary<string, string?> { ["AsyncRequests:RunnerEnabled"] = "false" });
        await Host.DisposeAsync();
        using var client = idle.CreateAuthorizedClient();
        var created = await client.CreateRunAsync(RunBodies.Outgoing());
        var id = (string)created["id"]!;

        using var accepted = await SendAsyncAsync(client, HttpMethod.Patch, $"runs('{id}')", """{"displayName":"Queued write"}""", "If-Match", (string)created["@odata.etag"]!);
        using (var meanwhile = await client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')", """{"displayName":"Concurrent write"}"""))
        {
            Assert.That(meanwhile.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        await idle.DisposeAsync();
        await using var runner = new ServiceHost(idle.Database, Settings);
        using var runnerClient = runner.CreateAuthorizedClient();
        using var final = await AsyncRequestTests.AwaitFinalAsync(runnerClient, accepted.Headers.Location!);

        Assert.Multiple(async () =>
        {
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(final.Header("AsyncResult"), Is.EqualTo("412"), "the ETag changed after acceptance");
            Assert.That((string?)(await runnerClient.GetJsonAsync($"runs('{id}')"))["displayName"], Is.EqualTo("Concurrent write"), "no lost update");
        });
    }
}
