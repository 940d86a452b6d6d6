using System.Globalization;
using Microsoft.Data.Sqlite;

namespace IndustryData.OData.Bench.Scale;

/// <summary>
/// Writes runs straight into the service's migrated SQLite file, in the form EF Core stores them: 80% completed, 8%
/// completedWithWarnings, 5% completedWithErrors, 5% failed, 2% running (no end); half of each type; start times spread
/// over three years; one run in 100,000 has the rare word in its name; statistics/recordsFailed is above 0 exactly for
/// the failed runs and those completed with errors (10%).
/// </summary>
public static class Seeder
{
    public const string CommonWord = "export";
    public const string RareWord = "quarantine";
    public static readonly DateTime Start = new(2023, 12, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly TimeSpan Span = TimeSpan.FromDays(3 * 365);

    /// <summary>statistics: recordsFailed is 0 except for the runs that failed or completed with errors.</summary>
    private static string Statistics(int recordsFailed) =>
        $$"""{"recordsRead":48213,"recordsWritten":48190,"recordsFailed":{{recordsFailed}},"recordsSkipped":23,"errorCount":0,"warningCount":23,"durationSeconds":1063.512,"sourceSystem":"sis-prod-eu","targetSystem":"graph-education"}""";
    private static readonly string[] Flows = ["Nightly", "Hourly", "Weekly", "Roster", "Grades", "Attendance", "Contacts", "Courses"];

    public static void Seed(string databaseFile, int count, int seed = 20261202)
    {
        var random = new Random(seed);
        using var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA cache_size=-1048576; PRAGMA synchronous=OFF;");
        using var transaction = connection.BeginTransaction();

        // The change-sequence triggers would cost three statements per row: set aside while seeding, the sequence is
        // written directly (row i gets i + 1, as the triggers would have), and the triggers are put back unchanged.
        var triggers = Triggers(connection);
        foreach (var trigger in triggers.Keys)
        {
            Execute(connection, $"DROP TRIGGER {trigger};");
        }

        var first = Scalar(connection, "SELECT lastSequence FROM changeTracking WHERE id = 1");
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO runs (id, displayName, startDateTime, endDateTime, status, blockingError, statistics, version, type, changeSequence)
            VALUES ($id, $name, $start, $end, $status, NULL, $statistics, 1, $type, $sequence)
            """;
        var sequence = insert.Parameters.Add("$sequence", SqliteType.Integer);
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var name = insert.Parameters.Add("$name", SqliteType.Text);
        var start = insert.Parameters.Add("$start", SqliteType.Text);
        var end = insert.Parameters.Add("$end", SqliteType.Text);
        var status = insert.Parameters.Add("$status", SqliteType.Integer);
        var statistics = insert.Parameters.Add("$statistics", SqliteType.Text);
        var type = insert.Parameters.Add("$type", SqliteType.Text);
        insert.Prepare();

        for (var i = 0; i < count; i++)
        {
            var started = Start.AddSeconds(random.NextDouble() * Span.TotalSeconds);
            var runStatus = StatusOf(random.Next(100));
            id.Value = Guid.CreateVersion7(new DateTimeOffset(Start.AddSeconds(i * (Span.TotalSeconds / count)))).ToString();
            var word = random.Next(100_000) == 0 ? RareWord : random.Next(2) == 0 ? CommonWord : "import";
            name.Value = $"{Flows[random.Next(Flows.Length)]} {word} {i}";
            start.Value = Stored(started);
            end.Value = runStatus == 0 ? DBNull.Value : Stored(started.AddSeconds(30 + random.Next(7200)));
            status.Value = runStatus;
            statistics.Value = Statistics(runStatus is 1 or 3 ? 1 + random.Next(500) : 0);
            type.Value = i % 2 == 0 ? "outgoingFlowRun" : "incomingFlowRun";
            sequence.Value = first + i + 1;
            insert.ExecuteNonQuery();
        }

        Execute(connection, $"UPDATE changeTracking SET lastSequence = {first + count} WHERE id = 1;");
        foreach (var sql in triggers.Values)
        {
            Execute(connection, sql);
        }

        // The search indexes (Search migration) were kept by triggers set aside above: filled for the seeded rows, as the
        // triggers would have.
        Execute(connection, """
            INSERT INTO runs_search (rowid, id, displayName, errorCode, errorMessage)
            SELECT rowid, id, displayName, json_extract(blockingError, '$.code'), json_extract(blockingError, '$.message') FROM runs
            WHERE rowid NOT IN (SELECT rowid FROM runs_search);
            INSERT INTO runs_names (rowid, id, displayName) SELECT rowid, id, displayName FROM runs WHERE rowid NOT IN (SELECT rowid FROM runs_names);
            """);

        transaction.Commit();

        // The service keeps the file in WAL mode: fold the seed into the database now, or the first write under
        // measurement would pay for copying it (and every read would look pages up in a huge WAL).
        Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
    }

    /// <summary>runStatus member values: running 0, failed 1, completed 2, completedWithErrors 3, completedWithWarnings 4.</summary>
    private static int StatusOf(int percentile) => percentile switch
    {
        < 80 => 2,
        < 88 => 4,
        < 93 => 3,
        < 98 => 1,
        _ => 0,
    };

    /// <summary>EF Core's SQLite text form of a DateTime.</summary>
    private static string Stored(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Triggers(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'";
        using var reader = command.ExecuteReader();
        var triggers = new Dictionary<string, string>();
        while (reader.Read())
        {
            triggers[reader.GetString(0)] = reader.GetString(1);
        }

        return triggers;
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
