using System.Diagnostics;
using System.Net;
using IndustryData.OData.Service.Storage;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IndustryData.OData.Tests.Reliability;

/// <summary>
/// Every write on SQLite waits for its turn at the write gate, at most Storage:WriteTurnTimeout (1 s here): a write
/// that cannot get it in time is a 503 with Retry-After in the error shape, has changed nothing, and succeeds once
/// the gate is free again.
/// </summary>
public class WriteTurnTests : ApiFixture
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

    // The request around the wait (routing, reading the body, answering) on a loaded 2-core machine.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(4);

    protected override IReadOnlyDictionary<string, string?> Settings { get; } =
        new Dictionary<string, string?> { ["Storage:WriteTurnTimeout"] = "00:00:01" };

    [Test]
    [CancelAfter(120_000)]
    public async Task Writes_that_cannot_get_their_turn_in_time_are_503_with_Retry_After_and_change_nothing()
    {
        var run = await Client.CreateRunAsync(RunBodies.Outgoing());
        var id = (string)run["id"]!;
        var putBody = RunBodies.Outgoing().With("displayName", "Replaced").ToJsonString();
        var batch = $$"""{"requests":[{"id":"1","method":"POST","url":"runs","headers":{"Content-Type":"application/json"},"body":{{RunBodies.Outgoing().ToJsonString()}}}]}""";

        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var gate = Host.Services.GetRequiredService<WriteGate>();
            using var held = await gate.EnterAsync(scope.ServiceProvider.GetRequiredService<RunsDbContext>(), CancellationToken.None);

            var writes = new (string Name, Func<Task<HttpResponseMessage>> Send)[]
            {
                ("POST", () => Client.PostJsonAsync("runs", RunBodies.Outgoing())),
                ("PATCH", () => Client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')", """{"displayName":"Patched"}""")),
                ("PUT", () => Client.SendJsonAsync(HttpMethod.Put, $"runs('{id}')", putBody)),
                ("DELETE", () => Client.DeleteAsync($"runs('{id}')")),
                ("$batch", () => Client.SendJsonAsync(HttpMethod.Post, "$batch", batch)),
            };
            var answers = await Task.WhenAll(writes.Select(async write =>
            {
                var clock = Stopwatch.StartNew();
                var response = await write.Send();
                return (write.Name, Response: response, Elapsed: clock.Elapsed);
            }));

            foreach (var (name, response, elapsed) in answers)
            {
                using (response)
                {
                    TestContext.Out.WriteLine($"{name} with the gate held: {(int)response.StatusCode} in {elapsed.TotalSeconds:0.00} s");
                    var error = await response.AssertGraphErrorAsync(HttpStatusCode.ServiceUnavailable, "writeTurnTimeout");
                    Assert.Multiple(() =>
                    {
                        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)), name);
                        Assert.That((string?)error["message"], Does.Contain("Retry after"), name);
                        Assert.That(elapsed, Is.GreaterThanOrEqualTo(Bound - TimeSpan.FromMilliseconds(50)).And.LessThan(Bound + Margin), name);
                    });
                }
            }
        }

        var stored = await Client.GetJsonAsync($"runs('{id}')");
        Assert.Multiple(async () =>
        {
            Assert.That((string?)stored["displayName"], Is.EqualTo("Nightly export"), "a refused write changed the run");
            Assert.That((string?)stored["@odata.etag"], Is.EqualTo((string?)run["@odata.etag"]));
            Assert.That(await Host.CountRunsAsync(), Is.EqualTo(1), "a refused create stored a run");
        });

        // The gate is free again: the same writes go through.
        using (var patch = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')", """{"displayName":"Patched"}"""))
        {
            Assert.That(patch.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await patch.Content.ReadAsStringAsync());
        }

        await Client.CreateRunAsync(RunBodies.Outgoing());
        Assert.That(await Host.CountRunsAsync(), Is.EqualTo(2));
    }
}
