using System.Globalization;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace IndustryData.OData.Service.Storage;

/// <summary>
/// Healthy only if the runs table can be read and, on SQLite, the write lock can be taken, within
/// Storage:HealthCheckTimeout. Opening a connection proves little: SQLite opens a locked or damaged file without
/// complaint, and a write lock held elsewhere blocks every write while reads still work.
/// Degraded while the database is out of storage (<see cref="StorageSpace"/>): reads work, writes are refused.
/// </summary>
public sealed class RunsDatabaseHealthCheck(RunsDbContext db, WriteGate gate, IOptions<StorageOptions> options, StorageSpace storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var timeout = options.Value.HealthCheckTimeout;
        try
        {
            db.Database.SetCommandTimeout(timeout);
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                var sqlite = db.Database.GetDbConnection() as SqliteConnection;
                if (sqlite is not null)
                {
                    SqliteBusyTimeout.Set(sqlite, Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)));
                }

                await db.Runs.AsNoTracking().Select(run => run.Id).FirstOrDefaultAsync(cancellationToken);
                if (sqlite is not null)
                {
                    await ProbeWriteLockAsync(sqlite, cancellationToken);
                }
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }

            return storage.FullSince is { } since
                ? HealthCheckResult.Degraded(
                    $"The runs database is out of storage since {since.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}: writes are refused (507) until space is freed; reads work.")
                : HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (DatabaseFaults.IsUnavailable(exception) || exception is DbException or Errors.ApiException)
        {
            // The reason (which may name servers or files) goes to the log with the exception, not to anonymous callers.
            return HealthCheckResult.Unhealthy("The runs database is unavailable (locked past the timeout, unreachable or damaged); the service log has the reason.", exception);
        }
    }

    /// <summary>
    /// BEGIN IMMEDIATE takes the write lock without writing anything; the rollback gives it back. It takes its turn
    /// at the gate like every writer of this process, so it waits for them rather than fights them.
    /// </summary>
    private async Task ProbeWriteLockAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using (await gate.EnterAsync(db, cancellationToken))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await transaction.RollbackAsync(cancellationToken);
        }
    }
}
