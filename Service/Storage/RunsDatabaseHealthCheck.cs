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
/// </summary>
public sealed class RunsDatabaseHealthCheck(RunsDbContext db, IOptions<StorageOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var timeout = options.Value.HealthCheckTimeout;
        try
        {
            db.Database.SetCommandTimeout(timeout);
            await db.Runs.AsNoTracking().Select(run => run.Id).FirstOrDefaultAsync(cancellationToken);
            if (db.Database.IsSqlite())
            {
                await ProbeSqliteWriteLockAsync(timeout, cancellationToken);
            }

            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (DatabaseFaults.IsUnavailable(exception) || exception is DbException)
        {
            return HealthCheckResult.Unhealthy("The runs database is unavailable: " + exception.GetBaseException().Message);
        }
    }

    /// <summary>BEGIN IMMEDIATE takes the write lock without writing anything; the rollback gives it back.</summary>
    private async Task ProbeSqliteWriteLockAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using (await SqliteWriteGate.EnterAsync(db.Database.GetConnectionString()!, cancellationToken))
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                var connection = (SqliteConnection)db.Database.GetDbConnection();
                connection.DefaultTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await transaction.RollbackAsync(cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
