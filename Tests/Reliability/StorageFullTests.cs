using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using IndustryData.OData.Service.Storage;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IndustryData.OData.Tests.Reliability;

/// <summary>
/// Storage full is not "busy" (issue 14, item 7): SQLite's "database or disk is full" is a 507 the caller can read,
/// one log line for the operator, /health says why, reads go on, and writes work again once there is space, without
/// a restart. The database is kept from growing with PRAGMA max_page_count on every connection the service opens.
/// </summary>
public class StorageFullTests
{
    private SqliteTestDatabase database = null!;
    private CapturedLogs logs = null!;
    private ServiceHost host = null!;
    private PageLimit limit = null!;
    private WebApplicationFactory<Program> limited = null!;
    private HttpClient client = null!;

    [SetUp]
    public void StartService()
    {
        database = new SqliteTestDatabase();
        logs = new CapturedLogs();
        limit = new PageLimit();
        host = new ServiceHost(database, logging: logging => logging.AddProvider(logs));
        limited = host.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.ConfigureDbContext<SqliteRunsDbContext>(db => db.AddInterceptors(limit))));
        client = limited.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Write());
    }

    [TearDown]
    public async Task StopService()
    {
        client.Dispose();
        await limited.DisposeAsync();
        await host.DisposeAsync();
        await database.DisposeAsync();
        logs.Dispose();
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_full_database_refuses_writes_with_507_keeps_reads_and_takes_writes_again_once_there_is_space()
    {
        var stored = await client.CreateRunAsync(RunBodies.Outgoing());
        var id = (string)stored["id"]!;
        limit.MaxPages = PageCount();
        logs.Drain();

        using (var create = await client.PostJsonAsync("runs", Large(RunBodies.Outgoing())))
        {
            var error = await create.AssertGraphErrorAsync(HttpStatusCode.InsufficientStorage, "databaseFull");
            Assert.That((string?)error["message"], Does.Contain("out of storage").And.Contain("Retrying will not help"));
        }

        using (var update = await client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')", Large(new JsonObject()).ToJsonString()))
        {
            await update.AssertGraphErrorAsync(HttpStatusCode.InsufficientStorage, "databaseFull");
        }

        using (var again = await client.PostJsonAsync("runs", Large(RunBodies.Incoming())))
        {
            await again.AssertGraphErrorAsync(HttpStatusCode.InsufficientStorage, "databaseFull");
        }

        var list = await client.GetJsonAsync("runs");
        var read = await client.GetJsonAsync($"runs('{id}')");
        var (healthStatus, healthText) = await HealthAsync();
        var operatorLines = logs.Drain().Where(line => line.Contains("out of storage", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(list["value"]!.AsArray(), Has.Count.EqualTo(1), "reads go on, and nothing refused was stored");
            Assert.That((string?)read["statistics"]!["rowsRead"]?.ToString(), Is.EqualTo("1200"), "the PATCH changed nothing");
            Assert.That(healthStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(healthText, Does.StartWith("Degraded:").And.Contain("out of storage"));
            Assert.That(operatorLines, Has.Count.EqualTo(1), "one line for the operator, not one per refused request");
            Assert.That(operatorLines[0], Does.Contain("full"));
        });

        limit.MaxPages = null;
        var created = await client.CreateRunAsync(Large(RunBodies.Incoming()));
        var (healthAfter, healthTextAfter) = await HealthAsync();
        Assert.Multiple(() =>
        {
            Assert.That((string?)created["id"], Is.Not.Null);
            Assert.That(healthAfter, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(healthTextAfter, Is.EqualTo("Healthy"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Queued_creates_refused_for_lack_of_space_are_each_a_507_and_none_is_stored()
    {
        await client.CreateRunAsync(RunBodies.Outgoing());
        limit.MaxPages = PageCount();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.PostJsonAsync("runs", Large(RunBodies.Outgoing()))));

        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.InsufficientStorage));
        Assert.That(await host.CountRunsAsync(), Is.EqualTo(1));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    /// <summary>A run too big for the free space left in the file's pages: storing it needs new pages.</summary>
    private static JsonObject Large(JsonObject body) => body.With("statistics", new JsonObject { ["log"] = new string('x', 200_000) });

    private long PageCount()
    {
        using var connection = new SqliteConnection(database.ConnectionString + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_count;";
        return (long)command.ExecuteScalar()!;
    }

    private async Task<(HttpStatusCode Status, string Text)> HealthAsync()
    {
        using var response = await client.GetAsync("health");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>PRAGMA max_page_count on every connection the service opens (it is a per-connection setting).</summary>
    private sealed class PageLimit : DbConnectionInterceptor
    {
        private const long SqliteMaximum = 1073741823;

        public long? MaxPages { get; set; }

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private void Apply(DbConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA max_page_count = {(MaxPages ?? SqliteMaximum).ToString(CultureInfo.InvariantCulture)};";
            command.ExecuteNonQuery();
        }
    }
}
