using System.Diagnostics;
using IndustryData.OData.Service.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Service.Storage;

/// <summary>
/// SQLite has one writer at a time per file. Writers of this process (the create group commit and $batch
/// transactions) take turns here instead of colliding inside SQLite, where a loser sleeps in the busy handler and
/// retries — a storm that wastes the time the lock is free. SQL Server locks rows, so there the gate is open.
/// </summary>
public sealed class WriteGate(ServiceMetrics metrics)
{
    private readonly SemaphoreSlim turn = new(1, 1);

    public async Task<IDisposable> EnterAsync(RunsDbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            return NoTurn.Instance;
        }

        var waitStarted = Stopwatch.GetTimestamp();
        await turn.WaitAsync(cancellationToken);
        metrics.WriteGateWaited(Stopwatch.GetElapsedTime(waitStarted));
        return new Turn(turn);
    }

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
