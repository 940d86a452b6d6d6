using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IndustryData.OData.Service.Async;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Tests.Async;

/// <summary>Prefer: respond-async: 202 and a status monitor; the final response as application/http; any instance; cancel; expiry.</summary>
public class AsyncRequestTests : ApiFixture
{
    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["AsyncRequests:PollInterval"] = "00:00:00.100",
        ["AsyncRequests:LeaseDuration"] = "00:00:01",
    };

    internal static async Task<HttpResponseMessage> SendAsyncAsync(HttpClient client, HttpMethod method, string url, string? body = null, string? maxVersion = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.TryAddWithoutValidation("Prefer", "respond-async");
        if (maxVersion is not null)
        {
            request.Headers.TryAddWithoutValidation("OData-MaxVersion", maxVersion);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    /// <summary>Polls the monitor until it stops answering 202; the last response.</summary>
    internal static async Task<HttpResponseMessage> AwaitFinalAsync(HttpClient client, Uri monitor)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var response = await client.GetAsync(monitor);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                return response;
            }

            Assert.That(response.Headers.RetryAfter, Is.Not.Null);
            response.Dispose();
            await Task.Delay(50);
        }

        throw new AssertionException($"{monitor} still answers 202 after 10 s");
    }

    /// <summary>The HTTP message in an application/http body: status line, headers, body.</summary>
    internal static async Task<(int Status, string Head, string Body)> ReadMessageAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = text[..split];
        return (int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), head, text[(split + 4)..]);
    }

    [Test]
    public async Task A_read_with_respond_async_is_accepted_and_its_monitor_answers_the_final_response()
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;

        using var accepted = await SendAsyncAsync(Client, HttpMethod.Get, $"runs('{id}')?$select=status");
        using var final = await AwaitFinalAsync(Client, accepted.Headers.Location!);
        var (status, head, body) = await ReadMessageAsync(final);

        Assert.Multiple(() =>
        {
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(accepted.Header("Preference-Applied"), Is.EqualTo("respond-async"));
            Assert.That(accepted.Headers.Location!.AbsolutePath, Does.StartWith("/$async/"));
            Assert.That(accepted.Headers.RetryAfter, Is.Not.Null);
            Assert.That(final.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(final.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/http"));
            Assert.That(final.Header("AsyncResult"), Is.EqualTo("200"));
            Assert.That(status, Is.EqualTo(200));
            Assert.That(head, Does.Contain("Content-Type: application/json"));
            Assert.That((string?)JsonNode.Parse(body)!["status"], Is.EqualTo("completed"));
            Assert.That(JsonNode.Parse(body)!.AsObject().ContainsKey("displayName"), Is.False, "$select applied");
        });
    }

    [Test]
    public async Task A_write_and_a_batch_run_asynchronously_as_their_caller()
    {
        using var created = await SendAsyncAsync(Client, HttpMethod.Post, "runs", RunBodies.Outgoing().ToJsonString());
        using var createdFinal = await AwaitFinalAsync(Client, created.Headers.Location!);
        var (createdStatus, createdHead, createdBody) = await ReadMessageAsync(createdFinal);
        var id = (string)JsonNode.Parse(createdBody)!["id"]!;
        using var batch = await SendAsyncAsync(Client, HttpMethod.Post, "$batch",
            """{"requests":[{"id":"1","method":"PATCH","url":"runs('""" + id + """')","headers":{"Content-Type":"application/json"},"body":{"status":"failed"} },{"id":"2","method":"GET","url":"runs/$count"}]}""");
        using var batchFinal = await AwaitFinalAsync(Client, batch.Headers.Location!);
        var (batchStatus, _, batchBody) = await ReadMessageAsync(batchFinal);
        using var reader = Host.CreateAuthorizedClient(TestTokens.Read());
        using var forbidden = await SendAsyncAsync(reader, HttpMethod.Delete, $"runs('{id}')");
        using var forbiddenFinal = await AwaitFinalAsync(reader, forbidden.Headers.Location!);

        Assert.Multiple(async () =>
        {
            Assert.That(createdStatus, Is.EqualTo(201));
            Assert.That(createdHead, Does.Contain("Location: http://localhost/runs('"));
            Assert.That(batchStatus, Is.EqualTo(200));
            Assert.That(JsonNode.Parse(batchBody)!["responses"]!.AsArray().Select(part => (int?)part!["status"]), Is.EquivalentTo(new int?[] { 204, 200 }));
            Assert.That((string?)(await Client.GetJsonAsync($"runs('{id}')"))["status"], Is.EqualTo("failed"));
            Assert.That(forbiddenFinal.Header("AsyncResult"), Is.EqualTo("403"), "runs with the caller's permissions");
            Assert.That(await Host.CountRunsAsync(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Only_the_caller_reads_or_cancels_its_monitor()
    {
        using var accepted = await SendAsyncAsync(Client, HttpMethod.Get, "runs");
        using var other = Host.CreateAuthorizedClient(TestTokens.Write("user-2"));
        using var anonymous = Host.CreateGuardedClient();

        using var byOther = await other.GetAsync(accepted.Headers.Location!);
        using var otherDelete = await other.DeleteAsync(accepted.Headers.Location!);
        using var byAnonymous = await anonymous.GetAsync(accepted.Headers.Location!);
        using var mine = await AwaitFinalAsync(Client, accepted.Headers.Location!);

        Assert.Multiple(async () =>
        {
            await byOther.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
            await otherDelete.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
            Assert.That(byAnonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(mine.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Delete_cancels_a_queued_request_which_then_never_runs()
    {
        await using var idle = new ServiceHost(Host.Database, new Dictionary<string, string?> { ["AsyncRequests:RunnerEnabled"] = "false" });
        using var client = idle.CreateAuthorizedClient();
        await Host.DisposeAsync();

        using var accepted = await SendAsyncAsync(client, HttpMethod.Post, "runs", RunBodies.Outgoing().ToJsonString());
        using var pending = await client.GetAsync(accepted.Headers.Location!);
        using var cancel = await client.DeleteAsync(accepted.Headers.Location!);
        using var after = await client.GetAsync(accepted.Headers.Location!);
        await using var runner = new ServiceHost(idle.Database, Settings);
        using var runnerClient = runner.CreateAuthorizedClient();
        _ = await runnerClient.GetAsync("runs");
        await Task.Delay(500);

        Assert.Multiple(async () =>
        {
            Assert.That(pending.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await runner.CountRunsAsync(), Is.EqualTo(0), "a cancelled create never runs");
        });
    }

    [Test]
    public async Task A_monitor_answers_on_another_instance_and_after_a_restart()
    {
        // Accepted by an instance that does not run requests, then stopped; a second instance on the same database runs it.
        var idle = new ServiceHost(Host.Database, new Dictionary<string, string?> { ["AsyncRequests:RunnerEnabled"] = "false" });
        using var client = idle.CreateAuthorizedClient();
        using var accepted = await SendAsyncAsync(client, HttpMethod.Post, "runs", RunBodies.Outgoing().ToJsonString());
        await idle.DisposeAsync();

        using var final = await AwaitFinalAsync(Client, accepted.Headers.Location!);
        var (status, _, _) = await ReadMessageAsync(final);

        Assert.Multiple(async () =>
        {
            Assert.That(status, Is.EqualTo(201));
            Assert.That(await Host.CountRunsAsync(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_request_whose_instance_stopped_while_it_ran_ends_as_failed()
    {
        using var accepted = await SendAsyncAsync(Client, HttpMethod.Get, "runs");
        var id = accepted.Headers.Location!.Segments[^1];
        await AwaitFinalAsync(Client, accepted.Headers.Location!);

        // As a crashed instance leaves it: running, under a lease nobody renews.
        await Host.WithDbAsync(db => db.AsyncOperations.Where(o => o.Id == id).ExecuteUpdateAsync(set => set
            .SetProperty(o => o.Status, AsyncOperationStatus.Running)
            .SetProperty(o => o.LeaseOwner, "crashed")
            .SetProperty(o => o.LeaseExpiresAt, DateTime.UtcNow.AddSeconds(-1))));
        using var final = await AwaitFinalAsync(Client, accepted.Headers.Location!);
        var (status, _, body) = await ReadMessageAsync(final);

        Assert.Multiple(() =>
        {
            Assert.That(final.Header("AsyncResult"), Is.EqualTo("500"));
            Assert.That(status, Is.EqualTo(500));
            Assert.That((string?)JsonNode.Parse(body)!["error"]!["innerError"]!["code"], Is.EqualTo("asyncRequestInterrupted"));
        });
    }

    [Test]
    public async Task A_result_past_its_retention_is_gone()
    {
        using var accepted = await SendAsyncAsync(Client, HttpMethod.Get, "runs");
        var id = accepted.Headers.Location!.Segments[^1];
        using (await AwaitFinalAsync(Client, accepted.Headers.Location!))
        {
        }

        await Host.WithDbAsync(db => db.AsyncOperations.Where(o => o.Id == id).ExecuteUpdateAsync(set => set.SetProperty(o => o.ExpiresAt, DateTime.UtcNow.AddSeconds(-1))));
        using var expired = await Client.GetAsync(accepted.Headers.Location!);
        await Host.WithDbAsync(db => db.AsyncOperations.Where(o => o.Id == id).ExecuteUpdateAsync(set => set.SetProperty(o => o.ExpiresAt, DateTime.UtcNow.AddDays(-1))));
        await Task.Delay(500);
        using var pruned = await Client.GetAsync(accepted.Headers.Location!);

        Assert.Multiple(async () =>
        {
            await expired.AssertGraphErrorAsync(HttpStatusCode.Gone, "asyncResultExpired");
            await pruned.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
        });
    }
}
