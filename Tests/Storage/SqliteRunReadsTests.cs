using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Storage;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IndustryData.OData.Tests.Storage;

/// <summary>
/// The by-key read that skips EF Core on SQLite (<see cref="SqliteRunReads"/>) must read every run exactly as EF Core
/// does, see every committed write at once, and leave reads inside a change set to the change set.
/// </summary>
public sealed class SqliteRunReadsTests() : ApiFixture(TestProvider.Sqlite)
{
    private readonly SqlCommandLog sql = new();

    protected override void ConfigureLogging(ILoggingBuilder logging) => SqlCommandLog.AddTo(logging, sql);

    /// <summary>The shapes the direct reads serve send nothing through EF Core (so the parity test below compares two paths).</summary>
    [Test]
    public async Task The_hot_shapes_send_no_command_through_EF_Core()
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing().With("status", "completed")))["id"]!;
        sql.Drain();

        foreach (var url in new[] { $"runs('{id}')", "runs?$top=50", "runs?$filter=status eq 'completed'&$top=50", "runs?$filter=status%20eq%20%27completed%27&$top=50", "runs" })
        {
            using var response = await Client.GetAsync(url);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
            Assert.That(sql.Drain(), Is.Empty, url);
        }

        using var other = await Client.GetAsync("runs?$orderby=displayName&$top=5");
        Assert.That(sql.Drain(), Is.Not.Empty, "other shapes go through EF Core");
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    private SqliteRunReads Reads => Host.Services.GetRequiredService<SqliteRunReads>();

    [Test]
    public async Task Every_kind_of_run_reads_as_EF_Core_reads_it()
    {
        var bodies = new[]
        {
            RunBodies.Outgoing(),
            RunBodies.Incoming().Without("endDateTime").With("status", "running"),
            RunBodies.Outgoing().With("displayName", "Ünïcödé \"quoted\" ✓").With("startDateTime", "2026-01-31T09:30:00.1234567Z"),
            RunBodies.Outgoing().With("status", "failed").With("blockingError", new JsonObject
            {
                ["code"] = "quotaExceeded",
                ["message"] = "Over quota",
                ["target"] = "students",
                ["details"] = new JsonArray(new JsonObject { ["code"] = "a", ["message"] = "first" }, new JsonObject { ["code"] = "b", ["message"] = "second" }),
            }),
            RunBodies.Incoming().With("statistics", new JsonObject { ["perEntity"] = new JsonObject { ["students"] = 900, ["ratio"] = 0.25 }, ["phases"] = new JsonArray("a", "b"), ["note"] = null }),
        };
        var ids = new List<string>();
        foreach (var body in bodies)
        {
            ids.Add((string)(await Client.CreateRunAsync(body))["id"]!);
        }

        await Client.PatchAsync($"runs('{ids[0]}')", JsonContent(new JsonObject { ["displayName"] = "renamed" }));

        foreach (var id in ids)
        {
            var byEf = await Host.WithDbAsync(db => db.Runs.AsNoTracking().SingleAsync(run => run.Id == id));
            var direct = await Reads.FindAsync(id, CancellationToken.None);

            Assert.That(direct, Is.Not.Null.And.TypeOf(byEf.GetType()), id);
            Assert.That(JsonSerializer.Serialize(direct, direct!.GetType(), Json), Is.EqualTo(JsonSerializer.Serialize(byEf, byEf.GetType(), Json)), id);
        }
    }

    [Test]
    public async Task A_missing_run_is_null_and_a_deleted_run_is_gone_at_once()
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        Assert.That((await Reads.FindAsync(id, CancellationToken.None))?.Id, Is.EqualTo(id), "read once, so a session with the prepared statement is idle in the pool");

        using var deleted = await Client.DeleteAsync($"runs('{id}')");
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        Assert.Multiple(async () =>
        {
            Assert.That(await Reads.FindAsync(id, CancellationToken.None), Is.Null, "a pooled session sees the delete");
            Assert.That(await Reads.FindAsync("no-such-run", CancellationToken.None), Is.Null);
            Assert.That(await Reads.FindAsync(null, CancellationToken.None), Is.Null, "runs('') binds no key: no run, not a 500 (found by the hostile-input fuzz)");
        });
    }

    [Test]
    public async Task Many_concurrent_reads_each_get_their_own_run()
    {
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add((string)(await Client.CreateRunAsync(RunBodies.Outgoing().With("displayName", $"run {i}")))["id"]!);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(async () => (Wanted: ids[i % ids.Count], Got: await Reads.FindAsync(ids[i % ids.Count], CancellationToken.None)))));

        Assert.That(results.Where(result => result.Got?.Id != result.Wanted), Is.Empty);
    }

    [Test]
    public void The_statements_select_every_mapped_column()
    {
        Assert.That(Reads.Statements, Has.All.StartWith("SELECT \"type\", ").And.All.Contain("\"version\"").And.All.Contain("\"statistics\"").And.All.Contain("\"blockingError\""));
        Assert.That(Reads.Statements[0], Does.EndWith("FROM \"runs\" WHERE \"id\" = @id LIMIT 1"));
    }

    /// <summary>By key: the primary key; first pages: an index in id order, so LIMIT stops the walk (no sort, no scan of the table).</summary>
    [Test]
    public async Task Each_statement_is_served_by_an_index_in_the_order_it_returns()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(Host.Database.ConnectionString);
        await connection.OpenAsync();

        var plans = new List<List<string>>();
        foreach (var statement in Reads.Statements)
        {
            plans.Add(await SqlitePlan.ExplainAsync(connection, statement));
        }

        Assert.Multiple(() =>
        {
            Assert.That(plans[0], Is.EqualTo(new[] { "SEARCH runs USING INDEX sqlite_autoindex_runs_1 (id=?)" }));
            Assert.That(plans[1], Is.EqualTo(new[] { "SCAN runs USING INDEX sqlite_autoindex_runs_1" }));
            Assert.That(plans[2], Is.EqualTo(new[] { "SEARCH runs USING INDEX IX_runs_status_id (status=?)" }));
        });
    }

    /// <summary>The same requests answered through EF Core (Storage:DirectReads=false) and directly: byte for byte the same bodies.</summary>
    [Test]
    public async Task Lists_and_reads_answer_the_same_with_and_without_direct_reads()
    {
        var statuses = new[] { "failed", "completed", "running", "completedWithErrors" };
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var body = RunBodies.Outgoing().With("status", statuses[i % statuses.Length]).With("displayName", $"parity {i}");
            if (statuses[i % statuses.Length] == "running")
            {
                body = body.Without("endDateTime");
            }

            ids.Add((string)(await Client.CreateRunAsync(body))["id"]!);
        }

        await using var throughEf = new ServiceHost(Host.Database, new Dictionary<string, string?> { ["Storage:DirectReads"] = "false" });
        using var efClient = throughEf.CreateAuthorizedClient();
        var urls = new[]
        {
            "runs", "runs?$top=5", "runs?top=3&$count=true", "runs?$filter=status eq 'failed'", "runs?$filter='completed' eq status&$top=2",
            "runs?$filter=status eq 'failed'&$select=id,status", "runs?$filter=status eq 'completedWithWarnings'", "runs?$filter=status eq 2&$top=1",
            "runs?$filter=status eq 'Failed'", "runs?$top=2&$skip=1", $"runs('{ids[3]}')", $"runs/{ids[4]}?$select=displayName", "runs('missing')",
        };
        foreach (var url in urls)
        {
            using var direct = await Client.GetAsync(url);
            using var viaEf = await efClient.GetAsync(url);
            var (directBody, efBody) = (await direct.Content.ReadAsStringAsync(), await viaEf.Content.ReadAsStringAsync());
            Assert.Multiple(() =>
            {
                Assert.That(direct.StatusCode, Is.EqualTo(viaEf.StatusCode), url);
                Assert.That(direct.Headers.ETag?.Tag, Is.EqualTo(viaEf.Headers.ETag?.Tag), url);
                if (direct.IsSuccessStatusCode)
                {
                    Assert.That(directBody, Is.EqualTo(efBody), url);
                }
                else
                {
                    // Errors carry their own request-id and date: the same error is the same code and message.
                    Assert.That((string?)JsonNode.Parse(directBody)!["error"]!["message"], Is.EqualTo((string?)JsonNode.Parse(efBody)!["error"]!["message"]), url);
                }
            });
        }

        Assert.That(throughEf.Services.GetService<SqliteRunReads>(), Is.Null, "Storage:DirectReads=false registers no direct reads");
    }

    private static StringContent JsonContent(JsonObject body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
}
