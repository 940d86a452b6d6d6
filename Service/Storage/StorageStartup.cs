using System.Net.Sockets;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IndustryData.OData.Service.Storage;

/// <summary>Brings the database schema up to date before the service takes requests.</summary>
public static partial class StorageStartup
{
    public static async Task InitializeRunStorageAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StorageStartup));
        var deadline = DateTimeOffset.UtcNow + options.StartupRetryWindow;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<RunsDbContext>();
                if (db.Database.IsSqlite())
                {
                    PrepareSqliteFile(db);
                }

                if (options.ApplyMigrationsOnStartup)
                {
                    await db.Database.MigrateAsync();
                    LogReady(logger, db.Database.ProviderName ?? "?");
                }

                return;
            }
            catch (Exception exception) when (IsTransient(exception) && DateTimeOffset.UtcNow < deadline)
            {
                LogRetrying(logger, exception, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)));
            }
            catch (Exception exception)
            {
                LogGaveUp(logger, exception, options.StartupRetryWindow.TotalSeconds);
                throw;
            }
        }
    }

    /// <summary>
    /// WAL lets readers proceed while one writer commits, and is a property of the file, so it is set once.
    /// synchronous stays at SQLite's durable default.
    /// </summary>
    private static void PrepareSqliteFile(RunsDbContext db)
    {
        var builder = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(file)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        db.Database.OpenConnection();
        try
        {
            db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
        }
        finally
        {
            db.Database.CloseConnection();
        }
    }

    /// <summary>
    /// A server that is still starting answers with many different SqlExceptions (network errors, 4060 database not
    /// online yet, 18456 login failed during recovery, -2 timeouts), also wrapped by EF's retrying strategy, so any of
    /// them is worth another try within the window. Everything else (a malformed connection string, a client that
    /// cannot run here, a broken migration on SQLite) fails at once.
    /// </summary>
    internal static bool IsTransient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SqlException or TimeoutException or SocketException)
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run storage ready on {Provider}")]
    private static partial void LogReady(ILogger logger, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not reachable yet (attempt {Attempt}); retrying")]
    private static partial void LogRetrying(ILogger logger, Exception exception, int attempt);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Giving up on the database after {Seconds} s: the service cannot start without it. Check ConnectionStrings:Runs and that the server is up.")]
    private static partial void LogGaveUp(ILogger logger, Exception exception, double seconds);
}
