using System.Diagnostics;
using System.Globalization;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IndustryData.OData.Service.Storage;

/// <summary>
/// SQLite has one writer at a time per file. Every writer of this process (the create group commit, $batch
/// transactions, PATCH, PUT and DELETE) takes turns here instead of colliding inside SQLite, where a loser sleeps in
/// the busy handler and retries — a storm that wastes the time the lock is free. A writer waits for its turn at most
/// <see cref="StorageOptions.WriteTurnTimeout"/>; past that it is refused with 503 and Retry-After, having changed
/// nothing. SQL Server locks rows, so there the gate is open.
/// </summary>
public sealed class WriteGate(IOptions<StorageOptions> options, ServiceMetrics metrics)
{
    public const int RetryAfterSeconds = 1;

    private readonly SemaphoreSlim turn = new(1, 1);

    /// <summary>The longest a write waits for its turn.</summary>
    public TimeSpan Bound => options.Value.WriteTurnTimeout;

    /// <summary>
    /// Waits for this process's write turn on SQLite. A context inside an open transaction (a $batch part) already
    /// writes at its batch's turn and does not wait again.
    /// </summary>
    public async Task<IDisposable> EnterAsync(RunsDbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite() || db.Database.CurrentTransaction is not null)
        {
            return NoTurn.Instance;
        }

        var waitStarted = Stopwatch.GetTimestamp();
        var granted = await turn.WaitAsync(Bound, cancellationToken);
        metrics.WriteGateWaited(Stopwatch.GetElapsedTime(waitStarted));
        if (!granted)
        {
            throw NoTurnInTime();
        }

        return new Turn(turn);
    }

    /// <summary>The answer to a write that did not get its turn within the bound: it changed nothing and may be retried.</summary>
    public ApiException NoTurnInTime() =>
        new(StatusCodes.Status503ServiceUnavailable, "writeTurnTimeout",
            $"The service is busy with other writes and this one did not get its turn within {Bound.TotalSeconds:0.###} s, so nothing was changed. Retry after {RetryAfterSeconds} s.")
        {
            Headers = { ["Retry-After"] = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture) },
        };

    private sealed class Turn(SemaphoreSlim turn) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                turn.Release();
            }
        }
    }

    private sealed class NoTurn : IDisposable
    {
        public static readonly NoTurn Instance = new();

        public void Dispose()
        {
        }
    }
}
