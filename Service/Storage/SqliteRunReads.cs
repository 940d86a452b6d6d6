using System.Collections.Concurrent;
using System.Diagnostics;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Telemetry;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Service.Storage;

/// <summary>
/// The hottest reads on SQLite — by key, and the first page of the list, whole or by status — without EF Core's per-query work: open connections, each with the statement prepared
/// once, rented per read (opening a pooled connection, re-registering its functions, preparing and closing cost more
/// than the read itself). The SQL and the mapping come from EF Core's model (<see cref="RunMaterializer"/>). Each read
/// is its own autocommit statement, so it sees every committed write; reads inside a $batch change set stay on the
/// change set's context (see <see cref="Querying.RunQuery"/>). A span like EF Core's own marks each read.
/// </summary>
public sealed class SqliteRunReads : IDisposable
{
    private readonly string connectionString;
    private readonly RunMaterializer materializer;
    private readonly string sql;
    private readonly string pageSql;
    private readonly string pageByStatusSql;
    private readonly Func<RunStatus, object> statusValue;
    private readonly ConcurrentBag<Session> idle = [];

    // A fixed set of sessions, waited for when all are busy: a read is a few dozen microseconds of CPU, so more
    // sessions than twice the cores only add connections to open, prepare and hold (and churn them under load).
    private readonly SemaphoreSlim sessions = new(Math.Max(4, Environment.ProcessorCount * 2));
    private readonly string? databaseName;

    public SqliteRunReads(IDbContextFactory<SqliteRunsDbContext> contexts)
    {
        using var db = contexts.CreateDbContext();
        connectionString = db.Database.GetConnectionString()!;
        materializer = RunMaterializer.From(db.Model, datesAsSqliteText: true);
        var entity = db.Model.FindEntityType(typeof(Run))!;
        var select = $"SELECT {string.Join(", ", materializer.Columns.Select(Quote))} FROM {Quote(entity.GetTableName()!)}";
        var id = Quote(entity.FindPrimaryKey()!.Properties[0].GetColumnName());
        var statusProperty = entity.FindProperty(nameof(Run.Status))!;
        var status = Quote(statusProperty.GetColumnName());
        sql = $"{select} WHERE {id} = @id LIMIT 1";
        pageSql = $"{select} ORDER BY {id} LIMIT @take";
        pageByStatusSql = $"{select} WHERE {status} = @status ORDER BY {id} LIMIT @take";
        var converter = statusProperty.GetTypeMapping().Converter;
        statusValue = converter is null ? value => value : value => converter.ConvertToProvider(value)!;
        databaseName = new SqliteConnectionStringBuilder(connectionString).DataSource;
    }

    /// <summary>The statements the reads run (for tests and plans): by key, first page, first page by status.</summary>
    public IReadOnlyList<string> Statements => [sql, pageSql, pageByStatusSql];

    public Task<Run?> FindAsync(string? id, CancellationToken cancellationToken) => ExecuteAsync(sql, cancellationToken, command => command.Parameters.AddWithValue("@id", (object?)id ?? DBNull.Value), reader => reader.Read() ? materializer.Read(reader) : null);

    /// <summary>Up to <paramref name="take"/> runs in id order, all or those with <paramref name="status"/>: the list's first page.</summary>
    public Task<List<Run>> FirstPageAsync(RunStatus? status, int take, CancellationToken cancellationToken) => ExecuteAsync(status is null ? pageSql : pageByStatusSql, cancellationToken,
        command =>
        {
            command.Parameters.AddWithValue("@take", take);
            if (status is { } wanted)
            {
                command.Parameters.AddWithValue("@status", statusValue(wanted));
            }
        },
        reader =>
        {
            var page = new List<Run>(take);
            while (reader.Read())
            {
                if (materializer.Read(reader) is { } run)
                {
                    page.Add(run);
                }
            }

            return page;
        });

    private async Task<T> ExecuteAsync<T>(string statement, CancellationToken cancellationToken, Action<SqliteCommand> bind, Func<SqliteDataReader, T> read)
    {
        using var activity = ServiceTelemetry.Source.StartActivity("SELECT runs", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("db.system.name", "sqlite");
            activity.SetTag("db.namespace", databaseName);
            activity.SetTag("db.query.text", statement);
        }

        await sessions.WaitAsync(cancellationToken);
        Session? session = null;
        var healthy = false;
        try
        {
            session = idle.TryTake(out var rented) ? rented : new Session(connectionString);
            var command = session.Prepared(statement, bind);
            using var reader = command.ExecuteReader();
            var result = read(reader);
            healthy = true;
            return result;
        }
        catch (Exception exception) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            throw;
        }
        finally
        {
            if (healthy)
            {
                idle.Add(session!);
            }
            else
            {
                session?.Dispose();
            }

            sessions.Release();
        }
    }

    public void Dispose()
    {
        while (idle.TryTake(out var session))
        {
            session.Dispose();
        }

        sessions.Dispose();
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>An open connection and its statements, each prepared on first use and kept.</summary>
    private sealed class Session : IDisposable
    {
        private readonly SqliteConnection connection;
        private readonly Dictionary<string, SqliteCommand> commands = new(StringComparer.Ordinal);

        public Session(string connectionString)
        {
            connection = new SqliteConnection(connectionString);
            connection.Open();
            SqliteBusyTimeout.Set(connection, connection.DefaultTimeout);
        }

        /// <summary>The statement with fresh parameter values (the first use binds and prepares it; later ones rebind).</summary>
        public SqliteCommand Prepared(string statement, Action<SqliteCommand> bind)
        {
            if (!commands.TryGetValue(statement, out var command))
            {
                command = connection.CreateCommand();
                command.CommandText = statement;
                commands[statement] = command;
            }

            command.Parameters.Clear();
            bind(command);
            command.Prepare();
            return command;
        }

        public void Dispose()
        {
            foreach (var command in commands.Values)
            {
                command.Dispose();
            }

            connection.Dispose();
        }
    }
}
