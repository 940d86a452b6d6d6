using System.Collections.Concurrent;
using IndustryData.OData.Service.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IndustryData.OData.Service.Subscriptions;

/// <summary>
/// Finds the subscriptions with changes to deliver and hands each to a <see cref="SubscriptionDelivery"/> under a lease
/// stored in its row, so instances sharing the database never deliver the same subscription at once, and a crashed
/// instance's work is taken over when its lease runs out. One slow receiver holds one delivery slot, never the rest.
/// </summary>
public sealed class NotificationDispatcher(IServiceScopeFactory scopes, IOptions<SubscriptionOptions> options, TimeProvider clock, ILogger<NotificationDispatcher> logger)
    : BackgroundService
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Task> inFlight = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim wake = new(0, 1);
    private DateTimeOffset lastPrune = DateTimeOffset.MinValue;

    /// <summary>This instance's name in leases.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Look for work now rather than at the next poll (a subscription was just made here).</summary>
    public void Wake()
    {
        if (wake.CurrentCount == 0)
        {
            try
            {
                wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another caller woke it in between: once is enough.
            }
        }
    }

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first look waits one idle interval (or a wake-up): start-up is not delayed by it.
        var busy = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await wake.WaitAsync(busy ? options.Value.PollInterval : options.Value.IdlePollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            try
            {
                busy = await TickAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Looking for change notifications to deliver failed; trying again shortly.");
            }
        }

        await Task.WhenAll(inFlight.Values);
    }

    /// <summary>One look for work; false when nobody subscribes (the next look can wait longer).</summary>
    private async Task<bool> TickAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RunsDbContext>();
        var log = scope.ServiceProvider.GetRequiredService<NotificationLog>();
        var now = clock.GetUtcNow();
        if (now - lastPrune > PruneInterval && await db.RunChanges.AnyAsync(cancellationToken))
        {
            lastPrune = now;
            await PruneAsync(scope.ServiceProvider, log, cancellationToken);
        }

        if (!await db.Subscriptions.AnyAsync(cancellationToken))
        {
            return false;
        }

        var slots = options.Value.MaxConcurrentDeliveries - inFlight.Count;
        if (slots <= 0)
        {
            return true;
        }

        var upTo = await log.HighWaterMarkAsync(cancellationToken);
        var utcNow = now.UtcDateTime;
        var due = await db.Subscriptions.AsNoTracking()
            .Where(s => (s.ExpirationDateTime <= utcNow || (s.NextAttemptAt <= utcNow && s.DeliveredThrough < upTo))
                && (s.LeaseExpiresAt == null || s.LeaseExpiresAt < utcNow || s.LeaseOwner == InstanceId))
            .OrderBy(s => s.NextAttemptAt)
            .Select(s => s.Id)
            .Take(slots + inFlight.Count)
            .ToListAsync(cancellationToken);
        foreach (var id in due.Where(id => !inFlight.ContainsKey(id)).Take(slots))
        {
            var delivery = scope.ServiceProvider.GetRequiredService<SubscriptionDelivery>();
            if (await delivery.ClaimAsync(id, InstanceId, cancellationToken))
            {
                // Recorded before it starts, so that its own removal when it ends can never come first.
                var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                inFlight[id] = Task.Run(async () =>
                {
                    await start.Task;
                    await DeliverAsync(id, upTo, cancellationToken);
                }, CancellationToken.None);
                start.SetResult();
            }
        }

        return true;
    }

    private async Task DeliverAsync(string id, long upTo, CancellationToken cancellationToken)
    {
        try
        {
            using var scope = scopes.CreateScope();
            await scope.ServiceProvider.GetRequiredService<SubscriptionDelivery>().RunAsync(id, InstanceId, upTo, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Delivering the notifications of subscription {SubscriptionId} failed; its lease runs out and it is tried again.", id);
        }
        finally
        {
            inFlight.TryRemove(id, out _);
        }
    }

    private async Task PruneAsync(IServiceProvider services, NotificationLog log, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<RunsDbContext>();
        using (await services.GetRequiredService<WriteGate>().EnterAsync(db, cancellationToken))
        {
            await log.PruneAsync(5000, cancellationToken);
        }
    }
}
