using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace IndustryData.OData.Tests.Reliability;

/// <summary>
/// The retries Idempotency-Key exists for, against the real service on Kestrel: a client that never reads the answer
/// to its create, and a service killed with SIGKILL just after the commit. Either way the retry with the same key
/// finds exactly one run and answers it as stored.
/// </summary>
public class IdempotentRetryTests
{
    private static readonly TimeSpan RetryWindow = TimeSpan.FromSeconds(30);

    [Test]
    [CancelAfter(180_000)]
    public async Task A_create_whose_answer_was_never_read_is_answered_to_the_retry_and_stored_once()
    {
        await using var database = new SqliteTestDatabase();
        await using var service = await ServiceProcess.StartAsync(database.FilePath);
        var body = RunBodies.Outgoing().ToJsonString();

        string committedRunId;
        using (var unread = await SendWithoutReadingAsync(service.BaseAddress, "dropped-1", body))
        {
            // The client gives up once the create is in the database but before it reads the answer: a reset.
            committedRunId = await WaitForCommittedKeyAsync(database.FilePath);
            unread.Client.LingerState = new LingerOption(true, 0);
            unread.Close();
        }

        using var client = service.CreateClient();
        var (status, replayed, retried) = await RetryAsync(client, "dropped-1", body);
        var stored = await RunListing.AllAsync(client);

        TestContext.Out.WriteLine($"dropped connection: the retry got {status}{(replayed ? " (replayed)" : string.Empty)}; {stored.Count} run stored");
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(201), retried.ToJsonString());
            Assert.That(replayed, Is.True, "the first request's answer is replayed");
            Assert.That((string?)retried["id"], Is.EqualTo(committedRunId));
            Assert.That(stored, Has.Count.EqualTo(1), "exactly one run");
            Assert.That(StoredRunAssert.Differences(retried, stored.FirstOrDefault()), Is.Empty, "the retry's body is the stored run");
        });
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task A_create_committed_just_before_a_SIGKILL_is_replayed_after_the_restart()
    {
        await using var database = new SqliteTestDatabase();
        var body = RunBodies.Outgoing().ToJsonString();
        string committedRunId;
        await using (var service = await ServiceProcess.StartAsync(database.FilePath))
        {
            using var unread = await SendWithoutReadingAsync(service.BaseAddress, "killed-1", body);
            committedRunId = await WaitForCommittedKeyAsync(database.FilePath);
            service.Kill();
        }

        await using var restarted = await ServiceProcess.StartAsync(database.FilePath);
        using var client = restarted.CreateClient();
        var (status, replayed, retried) = await RetryAsync(client, "killed-1", body);
        var stored = await RunListing.AllAsync(client);

        TestContext.Out.WriteLine($"SIGKILL right after the commit of {committedRunId}: after the restart the retry got {status}{(replayed ? " (replayed)" : string.Empty)}; {stored.Count} run stored");
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(201), retried.ToJsonString());
            Assert.That(replayed, Is.True, "the key survived the crash with its run");
            Assert.That((string?)retried["id"], Is.EqualTo(committedRunId));
            Assert.That(stored, Has.Count.EqualTo(1), "exactly one run");
            Assert.That(StoredRunAssert.Differences(retried, stored.FirstOrDefault()), Is.Empty, "the retry's body is the stored run");
        });
        Assert.That(await restarted.StopAsync(), Is.Zero, restarted.Output);
        Assert.That(SqliteFile.IntegrityCheck(database.FilePath), Is.EqualTo("ok"));
    }

    /// <summary>Writes a whole create with a key on a raw connection and returns without reading the answer.</summary>
    private static async Task<TcpClient> SendWithoutReadingAsync(Uri service, string key, string body)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(service.Host, service.Port);
        var content = Encoding.UTF8.GetBytes(body);
        var head = $"POST /runs HTTP/1.1\r\nHost: {service.Authority}\r\nAuthorization: Bearer {TestTokens.Write()}\r\n" +
                   $"Content-Type: application/json\r\nIdempotency-Key: {key}\r\nContent-Length: {content.Length}\r\n\r\n";
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(content);
        await stream.FlushAsync();
        return tcp;
    }

    /// <summary>Polls the SQLite file (WAL: reading never blocks the service) until the key's record is committed.</summary>
    private static async Task<string> WaitForCommittedKeyAsync(string file)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < RetryWindow)
        {
            try
            {
                await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT runId FROM idempotencyKeys LIMIT 1;";
                if (await command.ExecuteScalarAsync() is string runId)
                {
                    return runId;
                }
            }
            catch (SqliteException)
            {
                // Not migrated yet or briefly locked: look again.
            }

            await Task.Delay(2);
        }

        throw new TimeoutException("The create with the key was never committed.");
    }

    /// <summary>The retry a careful client makes: the same request and key until it gets an answer other than 409.</summary>
    private static async Task<(int Status, bool Replayed, JsonObject Body)> RetryAsync(HttpClient client, string key, string body)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.SendJsonAsync(HttpMethod.Post, "runs", body, headers: new Dictionary<string, string> { ["Idempotency-Key"] = key });
            if (response.StatusCode != HttpStatusCode.Conflict || clock.Elapsed > RetryWindow)
            {
                return ((int)response.StatusCode, response.Header("Idempotent-Replayed") == "true", await response.ReadJsonAsync());
            }

            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
        }
    }
}
