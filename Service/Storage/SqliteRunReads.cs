using System.Collections.Concurrent;
using System.Diagnostics;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Telemetry;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Service.Storage;

/// <summary>
/// The by-key read on SQLite without EF Core's per-query work: open connections, each with the statement prepared
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
    private readonly ConcurrentBag<Session> idle = [];
    private readonly int keep = Math.Max(4, Environment.ProcessorCount * 2);
    private readonly string? databaseName;

    public SqliteRunReads(IDbContextFactory<SqliteRunsDbContext> contexts)
    {
        using var db = contexts.CreateDbContext();
        connectionString = db.Database.GetConnectionString()!;
        materializer = RunMaterializer.From(db.Model);
        var entity = db.Model.FindEntityType(typeof(Run))!;
        sql = $"SELECT {string.Join(", ", materializer.Columns.Select(Quote))} FROM {Quote(entity.GetTableName()!)} WHERE {Quote(entity.FindPrimaryKey()!.Properties[0].GetColumnName())} = @id LIMIT 1";
        databaseName = new SqliteConnectionStringBuilder(connectionString).DataSource;
    }

    /// <summary>The statement each read runs (for tests and plans).</summary>
    public string Sql => sql;

    public Run? Find(string id)
    {
        using var activity = ServiceTelemetry.Source.StartActivity("SELECT runs", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("db.system.name", "sqlite");
            activity.SetTag("db.namespace", databaseName);
            activity.SetTag("db.query.text", sql);
        }

        var session = idle.TryTake(out var rented) ? rented : new Session(connectionString, sql);
        var healthy = false;
        try
        {
            session.Id.Value = id;
            using var reader = session.Command.ExecuteReader();
            var run = reader.Read() ? materializer.Read(reader) : null;
            healthy = true;
            return run;
        }
        catch (Exception exception) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            throw;
        }
        finally
        {
            if (healthy && idle.Count < keep)
            {
                idle.Add(session);
            }
            else
            {
                session.Dispose();
            }
        }
    }

    public void Dispose()
    {
        while (idle.TryTake(out var session))
        {
            session.Dispose();
        }
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private sealed class Session : IDisposable
    {
        private readonly SqliteConnection connection;

        public Session(string connectionString, string sql)
        {
            connection = new SqliteConnection(connectionString);
            connection.Open();
            SqliteBusyTimeout.Set(connection, connection.DefaultTimeout);
            Command = connection.CreateCommand();
            Command.CommandText = sql;
            Id = Command.Parameters.Add("@id", SqliteType.Text);
            Command.Prepare();
        }

        public SqliteCommand Command { get; }

        public SqliteParameter Id { get; }

        public void Dispose()
        {
            Command.Dispose();
            connection.Dispose();
        }
    }
}
