using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IndustryData.OData.Service.Idempotency;

/// <summary>
/// Deletes expired keys every <see cref="IdempotencyOptions.PruneInterval"/>, at bounded cost: each statement removes at
/// most <see cref="IdempotencyOptions.PruneBatchSize"/> rows found through the createdAt index, at its own write turn,
/// and one pass runs at most <see cref="MaxStatementsPerPass"/> statements; a backlog is worked off over later passes.
/// </summary>
public sealed partial class IdempotencyKeyPruner(IServiceScopeFactory scopes, WriteGate gate, IOptions<IdempotencyOptions> options, ILogger<IdempotencyKeyPruner> logger)
    : BackgroundService
{
    public const int MaxStatementsPerPass = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PruneInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await PruneAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is ApiException || DatabaseFaults.IsUnavailable(exception))
            {
                // Busy or unavailable now: expired keys wait for the next pass (they are never replayed meanwhile).
                LogPruneDeferred(logger, exception.Message);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Pruning is housekeeping: a failure is logged and retried next pass, never allowed to stop the host.
                LogPruneFailed(logger, exception);
            }
        }
    }

    /// <summary>One pass; returns how many keys it deleted.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = DateTime.UtcNow - options.Value.KeyLifetime;
        var batch = options.Value.PruneBatchSize;
        var total = 0;
        for (var statement = 0; statement < MaxStatementsPerPass; statement++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RunsDbContext>();
            using var turn = await gate.EnterAsync(db, cancellationToken);
            var deleted = await DeleteExpiredAsync(db, cutoff, batch, cancellationToken);
            total += deleted;
            if (deleted < batch)
            {
                break;
            }
        }

        return total;
    }

    /// <summary>One bounded statement: at most <paramref name="batch"/> keys used before <paramref name="cutoff"/>.</summary>
    internal static Task<int> DeleteExpiredAsync(RunsDbContext db, DateTime cutoff, int batch, CancellationToken cancellationToken) =>
        db.IdempotencyRecords.Where(record => record.CreatedAt < cutoff).Take(batch).ExecuteDeleteAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pruning expired idempotency keys failed; trying again next pass")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruning expired idempotency keys deferred to the next pass: {Reason}")]
    private static partial void LogPruneDeferred(ILogger logger, string reason);
}
