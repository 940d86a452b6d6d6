using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Storage;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Tests.Storage;

/// <summary>
/// On SQLite the group commit writes its runs with one multi-row INSERT of its own, not through EF Core. The rows it
/// stores must be exactly the rows EF Core stores for the same request (a $batch atomicity group inserts through EF).
/// </summary>
public class GroupCommitRowsTests : ApiFixture
{
    private static IEnumerable<TestCaseData> Bodies()
    {
        yield return new TestCaseData(RunBodies.ApiPageExample()).SetName("The API page's example");
        yield return new TestCaseData(RunBodies.Incoming().With("endDateTime", null).With("status", "running")
            .With("startDateTime", "2026-03-02T04:30:00.1234567Z")
            .With("statistics", JsonNode.Parse("""{"rowsRead":12.50,"nested":{"a":[1,"x",null]},"text":"é\u0000"}""")))
            .SetName("A running incoming run with fractional seconds and open statistics");
        yield return new TestCaseData(RunBodies.Outgoing().With("status", "failed").With("blockingError", JsonNode.Parse("""
            {"code":"sourceUnavailable","message":"The SIS did not answer.","target":"source",
             "details":[{"code":"timeout","message":"No answer in 30 s."}],
             "innerError":{"code":"gatewayTimeout","request-id":"abc","attempts":3}}
            """)))
            .SetName("A failed run with a blocking error");
    }

    [TestCaseSource(nameof(Bodies))]
    public async Task A_run_created_alone_is_stored_as_EF_Core_stores_it_in_a_batch(JsonObject body)
    {
        var alone = (string)(await Client.CreateRunAsync((JsonObject)body.DeepClone()))["id"]!;
        var batch = new JsonObject
        {
            ["requests"] = new JsonArray(new JsonObject
            {
                ["id"] = "1", ["method"] = "POST", ["url"] = "runs", ["atomicityGroup"] = "g",
                ["headers"] = new JsonObject { ["Content-Type"] = "application/json" }, ["body"] = body.DeepClone(),
            }),
        };
        using var response = await Client.PostJsonAsync("$batch", batch);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var inBatch = (string)(await response.ReadJsonAsync())["responses"]![0]!["body"]!["id"]!;

        var stored = await StoredRowsAsync();

        Assert.Multiple(() =>
        {
            Assert.That(stored.Keys, Is.EquivalentTo(new[] { alone, inBatch }));
            Assert.That(stored[alone], Is.EqualTo(stored[inBatch]), "every column but id and changeSequence, with its SQLite type");
            Assert.That(stored[alone]["version"], Is.EqualTo("integer:1"));
        });
    }

    [Test]
    public async Task Runs_created_at_once_each_get_their_own_change_sequence()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 24).Select(async index =>
            (string)(await Client.CreateRunAsync(RunBodies.Outgoing().With("displayName", $"run {index}")))["id"]!));

        await using var connection = new SqliteConnection(((SqliteTestDatabase)Host.Database).ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), count(DISTINCT changeSequence), min(changeSequence), (SELECT lastSequence FROM changeTracking) FROM runs";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();

        Assert.Multiple(() =>
        {
            Assert.That(reader.GetInt64(0), Is.EqualTo(ids.Length));
            Assert.That(reader.GetInt64(1), Is.EqualTo(ids.Length), "no two runs share a change sequence");
            Assert.That(reader.GetInt64(2), Is.GreaterThan(0), "every run has its sequence from the insert trigger");
            Assert.That(reader.GetInt64(3), Is.EqualTo(ids.Length));
        });
    }

    [Test]
    public async Task The_largest_group_and_its_keys_each_fit_in_one_statement_within_SQLites_parameter_limit()
    {
        var runs = Enumerable.Range(0, RunInsertQueue.MaxPerCommit)
            .Select(index => (Run)new OutgoingFlowRun { Id = Guid.CreateVersion7().ToString(), DisplayName = $"run {index}", Statistics = new RunStatistics() })
            .ToList();
        var keys = runs.Select(run => new IdempotencyRecord
        {
            KeyHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(run.Id))), RequestHash = new string('0', 64), RunId = run.Id, CreatedAt = DateTime.UtcNow,
        }).ToList();

        var stored = await Host.WithDbAsync(async db =>
        {
            await MultiRowInsert.InsertAsync(db, runs, CancellationToken.None);
            await MultiRowInsert.InsertAsync(db, keys, CancellationToken.None);
            return (Runs: await db.Runs.CountAsync(), Keys: await db.IdempotencyRecords.CountAsync());
        });

        Assert.That(stored, Is.EqualTo((RunInsertQueue.MaxPerCommit, RunInsertQueue.MaxPerCommit)));
    }

    /// <summary>Each run's columns (but id and changeSequence) as "storage-class:quoted value", by id.</summary>
    private async Task<Dictionary<string, Dictionary<string, string>>> StoredRowsAsync()
    {
        await using var connection = new SqliteConnection(((SqliteTestDatabase)Host.Database).ConnectionString);
        await connection.OpenAsync();
        List<string> columns = [];
        await using (var names = connection.CreateCommand())
        {
            names.CommandText = "SELECT name FROM pragma_table_info('runs') WHERE name NOT IN ('id', 'changeSequence')";
            await using var reader = await names.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(0));
            }
        }

        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, " + string.Join(", ", columns.Select(column => $"typeof(\"{column}\") || ':' || quote(\"{column}\")")) + " FROM runs";
        await using var rows = await command.ExecuteReaderAsync();
        var stored = new Dictionary<string, Dictionary<string, string>>();
        while (await rows.ReadAsync())
        {
            stored[rows.GetString(0)] = columns.Select((column, index) => (column, value: rows.GetString(index + 1))).ToDictionary(pair => pair.column, pair => pair.value);
        }

        return stored;
    }
}
