using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Storage;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IndustryData.OData.Tests.Storage;

/// <summary>
/// The by-key read that skips EF Core on SQLite (<see cref="SqliteRunReads"/>) must read every run exactly as EF Core
/// does, see every committed write at once, and leave reads inside a change set to the change set.
/// </summary>
public sealed class SqliteRunReadsTests() : ApiFixture(TestProvider.Sqlite)
{
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
            var direct = Reads.Find(id);

            Assert.That(direct, Is.Not.Null.And.TypeOf(byEf.GetType()), id);
            Assert.That(JsonSerializer.Serialize(direct, direct!.GetType(), Json), Is.EqualTo(JsonSerializer.Serialize(byEf, byEf.GetType(), Json)), id);
        }
    }

    [Test]
    public async Task A_missing_run_is_null_and_a_deleted_run_is_gone_at_once()
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        Assert.That(Reads.Find(id)?.Id, Is.EqualTo(id), "read once, so a session with the prepared statement is idle in the pool");

        using var deleted = await Client.DeleteAsync($"runs('{id}')");
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        Assert.Multiple(() =>
        {
            Assert.That(Reads.Find(id), Is.Null, "a pooled session sees the delete");
            Assert.That(Reads.Find("no-such-run"), Is.Null);
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

        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(() => (Wanted: ids[i % ids.Count], Got: Reads.Find(ids[i % ids.Count])))));

        Assert.That(results.Where(result => result.Got?.Id != result.Wanted), Is.Empty);
    }

    [Test]
    public void The_statement_selects_every_mapped_column_by_primary_key()
    {
        Assert.That(Reads.Sql, Does.StartWith("SELECT \"type\", ").And.EndWith("FROM \"runs\" WHERE \"id\" = @id LIMIT 1"));
        Assert.That(Reads.Sql, Does.Contain("\"version\"").And.Contain("\"statistics\"").And.Contain("\"blockingError\""));
    }

    [Test]
    public async Task The_statement_is_a_primary_key_search()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(Host.Database.ConnectionString);
        await connection.OpenAsync();

        Assert.That(await SqlitePlan.ExplainAsync(connection, Reads.Sql), Is.EqualTo(new[] { "SEARCH runs USING INDEX sqlite_autoindex_runs_1 (id=?)" }));
    }

    private static StringContent JsonContent(JsonObject body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
}
