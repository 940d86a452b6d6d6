using IndustryData.OData.Service.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IndustryData.OData.Service.Changes;

/// <summary>
/// Forgets deletions older than the retention, at start-up and then every PruneInterval. Each batch is one short
/// write transaction of at most PruneBatchSize tombstones (taking its turn at the write gate), so pruning never holds
/// the writer for long; the highest pruned sequence is recorded, so a delta link that could miss one answers 410.
/// </summary>
public sealed partial class TombstonePruner(IServiceScopeFactory scopes, WriteGate gate, IOptions<ChangeTrackingOptions> options, TimeProvider clock,
    ILogger<TombstonePruner> logger) : BackgroundService
{
    /// <summary>Deletes the tombstones of runs deleted before <paramref name="cutoff"/>; returns how many.</summary>
    public async Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var pruned = 0;
        var batchSize = Math.Max(1, options.Value.PruneBatchSize);
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RunsDbContext>();
            var deleted = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                using var turn = await gate.EnterAsync(db, cancellationToken);
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var batch = await db.RunTombstones.Where(t => t.DeletedAt < cutoff).OrderBy(t => t.DeletedAt).Take(batchSize)
                    .Select(t => new { t.Id, t.Sequence }).ToListAsync(cancellationToken);
                if (batch.Count == 0)
                {
                    return 0;
                }

                var ids = batch.Select(t => t.Id).ToList();
                var highest = batch.Max(t => t.Sequence);
                await db.RunTombstones.Where(t => ids.Contains(t.Id)).ExecuteDeleteAsync(cancellationToken);
                await db.ChangeTracking.Where(s => s.Id == ChangeTrackingState.SingleId && s.PrunedThrough < highest)
                    .ExecuteUpdateAsync(s => s.SetProperty(state => state.PrunedThrough, highest), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return batch.Count;
            });
            pruned += deleted;
            if (deleted < batchSize)
            {
                return pruned;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PruneInterval, clock);
        do
        {
            try
            {
                if (await PruneAsync(clock.GetUtcNow() - options.Value.TombstoneRetention, stoppingToken) is > 0 and var count)
                {
                    LogPruned(logger, count);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The next tick tries again; delta stays exact meanwhile (tombstones are only ever kept longer).
                LogFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} expired run tombstones.")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning expired run tombstones failed; will retry at the next interval.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
