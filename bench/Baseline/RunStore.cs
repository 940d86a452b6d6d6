using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace IndustryData.OData.Bench.Baseline;

/// <summary>
/// The runs table (same columns, types and indexes as the service's SQLite schema) behind prepared statements.
/// Each reader session is an open connection with its statements prepared once, rented per request. Writes go through
/// one connection, one at a time: SQLite admits a single writer anyway, and waiting here costs no busy retries.
/// WAL journal; synchronous stays at SQLite's default, as in the service.
/// </summary>
internal sealed class RunStore : IDisposable
{
    private const string Columns = "id, type, displayName, startDateTime, endDateTime, status, blockingError, statistics, version";

    /// <summary>How EF Core's SQLite provider writes a DateTime, so both databases hold the same text.</summary>
    private const string DateTimeFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";

    private readonly string connectionString;
    private readonly ConcurrentBag<ReadSession> readers = [];
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly SqliteConnection writeConnection;
    private readonly SqliteCommand insert;

    private RunStore(string connectionString)
    {
        this.connectionString = connectionString;
        writeConnection = new SqliteConnection(connectionString);
        writeConnection.Open();
        Execute(writeConnection, "PRAGMA journal_mode=WAL;");
        Execute(writeConnection, """
            CREATE TABLE IF NOT EXISTS runs (
                id TEXT NOT NULL CONSTRAINT PK_runs PRIMARY KEY,
                displayName TEXT NOT NULL,
                startDateTime TEXT NOT NULL,
                endDateTime TEXT NULL,
                status INTEGER NOT NULL,
                blockingError TEXT NULL,
                statistics TEXT NOT NULL,
                version INTEGER NOT NULL,
                type TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS IX_runs_startDateTime ON runs (startDateTime);
            CREATE INDEX IF NOT EXISTS IX_runs_status ON runs (status);
            """);
        insert = Prepare(writeConnection,
            "INSERT INTO runs (id, type, displayName, startDateTime, endDateTime, status, blockingError, statistics, version) " +
            "VALUES ($id, $type, $displayName, $startDateTime, $endDateTime, $status, $blockingError, $statistics, $version);",
            "$id", "$type", "$displayName", "$startDateTime", "$endDateTime", "$status", "$blockingError", "$statistics", "$version");
    }

    public static RunStore Open(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(file)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        return new RunStore(connectionString);
    }

    public async Task InsertAsync(StoredRun run, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            var parameters = insert.Parameters;
            parameters[0].Value = run.Id;
            parameters[1].Value = run.Type;
            parameters[2].Value = run.DisplayName;
            parameters[3].Value = FormatDateTime(run.StartDateTime);
            parameters[4].Value = run.EndDateTime is { } end ? FormatDateTime(end) : DBNull.Value;
            parameters[5].Value = run.Status;
            parameters[6].Value = (object?)run.BlockingError ?? DBNull.Value;
            parameters[7].Value = run.Statistics;
            parameters[8].Value = run.Version;
            insert.ExecuteNonQuery();
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>Runs in id order from <paramref name="skip"/> on, at most <paramref name="take"/>, optionally of one status only.</summary>
    public List<StoredRun> List(int? status, int skip, int take)
    {
        var session = Rent();
        try
        {
            var command = status is null ? session.List : session.ListByStatus;
            command.Parameters[0].Value = take;
            command.Parameters[1].Value = skip;
            if (status is { } value)
            {
                command.Parameters[2].Value = value;
            }

            var runs = new List<StoredRun>(take);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                runs.Add(ReadRun(reader));
            }

            return runs;
        }
        finally
        {
            readers.Add(session);
        }
    }

    public StoredRun? Find(string id)
    {
        var session = Rent();
        try
        {
            session.Find.Parameters[0].Value = id;
            using var reader = session.Find.ExecuteReader();
            return reader.Read() ? ReadRun(reader) : null;
        }
        finally
        {
            readers.Add(session);
        }
    }

    public void Dispose()
    {
        insert.Dispose();
        writeConnection.Dispose();
        while (readers.TryTake(out var session))
        {
            session.Dispose();
        }

        writeLock.Dispose();
    }

    private ReadSession Rent() => readers.TryTake(out var session) ? session : new ReadSession(connectionString);

    private static StoredRun ReadRun(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        ParseDateTime(reader.GetString(3)),
        reader.IsDBNull(4) ? null : ParseDateTime(reader.GetString(4)),
        reader.GetInt32(5),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.GetString(7),
        reader.GetInt64(8));

    private static string FormatDateTime(DateTime value) => value.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    private static DateTime ParseDateTime(string text) =>
        DateTime.ParseExact(text, DateTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] parameterNames)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    /// <summary>A reader connection with its three queries prepared.</summary>
    private sealed class ReadSession : IDisposable
    {
        private readonly SqliteConnection connection;

        public ReadSession(string connectionString)
        {
            connection = new SqliteConnection(connectionString);
            connection.Open();
            List = Prepare(connection, $"SELECT {Columns} FROM runs ORDER BY id LIMIT $take OFFSET $skip;", "$take", "$skip");
            ListByStatus = Prepare(connection, $"SELECT {Columns} FROM runs WHERE status = $status ORDER BY id LIMIT $take OFFSET $skip;", "$take", "$skip", "$status");
            Find = Prepare(connection, $"SELECT {Columns} FROM runs WHERE id = $id LIMIT 1;", "$id");
        }

        public SqliteCommand List { get; }

        public SqliteCommand ListByStatus { get; }

        public SqliteCommand Find { get; }

        public void Dispose()
        {
            List.Dispose();
            ListByStatus.Dispose();
            Find.Dispose();
            connection.Dispose();
        }
    }
}
