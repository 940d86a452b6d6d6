using System.Diagnostics;
using System.Net;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace IndustryData.OData.Tests.Reliability;

/// <summary>
/// When the database cannot serve a request (a lock held past the busy timeout, the file gone), the caller gets 503
/// with Retry-After in the error shape, /health says unhealthy, and the service recovers on its own afterwards.
/// Timeouts are 1 s here so the test is quick; the default is SQLite's 30 s.
/// </summary>
public class DatabaseFaultTests
{
    private SqliteTestDatabase database = null!;
    private ServiceHost host = null!;
    private HttpClient client = null!;

    [SetUp]
    public void StartService()
    {
        database = new SqliteTestDatabase();
        host = new ServiceHost(database, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Runs"] = database.ConnectionString + ";Default Timeout=1",
            ["Storage:HealthCheckTimeout"] = "00:00:01",
        });
        client = host.CreateAuthorizedClient();
    }

    [TearDown]
    public async Task StopService()
    {
        client.Dispose();
        await host.DisposeAsync();
        await database.DisposeAsync();
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_write_lock_held_past_the_busy_timeout_is_a_503_until_it_is_released()
    {
        var run = await client.CreateRunAsync(RunBodies.Outgoing());
        var id = (string)run["id"]!;
        await using (var holder = new SqliteConnection(database.ConnectionString + ";Pooling=False"))
        {
            await holder.OpenAsync();
            await Execute(holder, "BEGIN EXCLUSIVE;");
            var clock = Stopwatch.StartNew();

            using (var create = await client.PostJsonAsync("runs", RunBodies.Outgoing()))
            {
                await AssertUnavailableAsync(create);
            }

            using (var update = await client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')", """{"displayName":"Blocked"}"""))
            {
                await AssertUnavailableAsync(update);
            }

            using (var health = await client.GetAsync("health"))
            {
                Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), await health.Content.ReadAsStringAsync());
            }

            // WAL: readers never wait for the writer, so reads go on while writes are refused.
            Assert.That((string?)(await client.GetJsonAsync($"runs('{id}')"))["displayName"], Is.EqualTo("Nightly export"));
            TestContext.Out.WriteLine($"locked: create, update and health answered 503 in {clock.Elapsed.TotalSeconds:0.0} s together");
            await Execute(holder, "ROLLBACK;");
        }

        await AssertRecoveredAsync(id, expectedRuns: 2);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Creates_queued_behind_a_lock_fail_together_instead_of_one_busy_timeout_each()
    {
        const int creates = 8;
        await using (var holder = new SqliteConnection(database.ConnectionString + ";Pooling=False"))
        {
            await holder.OpenAsync();
            await Execute(holder, "BEGIN EXCLUSIVE;");
            var clock = Stopwatch.StartNew();

            var responses = await Task.WhenAll(Enumerable.Range(0, creates).Select(_ => client.PostJsonAsync("runs", RunBodies.Outgoing())));

            TestContext.Out.WriteLine($"locked: {creates} parallel creates all answered in {clock.Elapsed.TotalSeconds:0.0} s");
            foreach (var response in responses)
            {
                await AssertUnavailableAsync(response);
                response.Dispose();
            }

            // One by one, the group commit would wait out the 1 s busy timeout per create after the first group.
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(creates - 2)));
            await Execute(holder, "ROLLBACK;");
        }

        Assert.That(await host.CountRunsAsync(), Is.Zero);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_database_file_that_cannot_be_opened_is_a_503_until_it_is_back()
    {
        var run = await client.CreateRunAsync(RunBodies.Outgoing());
        var id = (string)run["id"]!;
        var directory = Path.GetDirectoryName(database.FilePath)!;
        var away = directory + "-away";
        Directory.Move(directory, away);
        try
        {
            // As if the volume went away while the service had no connection open (pooled ones keep the old file).
            SqliteConnection.ClearAllPools();
            using (var read = await client.GetAsync($"runs('{id}')"))
            {
                await AssertUnavailableAsync(read);
            }

            using (var create = await client.PostJsonAsync("runs", RunBodies.Outgoing()))
            {
                await AssertUnavailableAsync(create);
            }

            using var health = await client.GetAsync("health");
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), await health.Content.ReadAsStringAsync());
        }
        finally
        {
            Directory.Move(away, directory);
        }

        await AssertRecoveredAsync(id, expectedRuns: 2);
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        await response.AssertGraphErrorAsync(HttpStatusCode.ServiceUnavailable, "databaseUnavailable");
        Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero), "503 must say when to retry");
    }

    /// <summary>No restart: the next requests simply work, and the refused writes left nothing behind.</summary>
    private async Task AssertRecoveredAsync(string id, int expectedRuns)
    {
        using (var health = await client.GetAsync("health"))
        {
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), await health.Content.ReadAsStringAsync());
        }

        using (var update = await client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')", """{"displayName":"After recovery"}"""))
        {
            Assert.That(update.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await update.Content.ReadAsStringAsync());
        }

        await client.CreateRunAsync(RunBodies.Incoming());
        Assert.That(await host.CountRunsAsync(), Is.EqualTo(expectedRuns));
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
