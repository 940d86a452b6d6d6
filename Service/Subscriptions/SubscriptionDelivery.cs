using System.Net.Http.Headers;
using IndustryData.OData.Service.Storage;
using IndustryData.OData.Service.Subscriptions.Outbound;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IndustryData.OData.Service.Subscriptions;

/// <summary>
/// One subscription's turn, under its lease: POST its pending changes in batches, move its cursor past what the
/// receiver accepted (at least once: a crash before the move redelivers), back off when the receiver fails, give up
/// after the retry window with a missed notification, and end an expired subscription with subscriptionRemoved.
/// </summary>
public sealed class SubscriptionDelivery(RunsDbContext db, NotificationLog log, OutboundHttp outbound, WriteGate gate, NotificationMetrics metrics,
    IOptions<SubscriptionOptions> options, TimeProvider clock, ILogger<SubscriptionDelivery> logger)
{
    private SubscriptionOptions Settings => options.Value;

    /// <summary>Takes the lease if nobody holds it (or it ran out); false when another instance has it.</summary>
    public async Task<bool> ClaimAsync(string id, string instance, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now + Settings.LeaseDuration;
        using (await gate.EnterAsync(db, cancellationToken))
        {
            return await db.Subscriptions
                .Where(s => s.Id == id && (s.LeaseExpiresAt == null || s.LeaseExpiresAt < now || s.LeaseOwner == instance))
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.LeaseOwner, instance).SetProperty(s => s.LeaseExpiresAt, until), cancellationToken) == 1;
        }
    }

    /// <summary>
    /// Delivers until caught up: with the tick's mark first, then, one poll interval apart, with newer marks while changes
    /// keep coming, holding the lease all along. The cursor is written at most every <see cref="CursorInterval"/> while it advances (a crash
    /// redelivers at most that much), and always when caught up or failing; it never moves back.
    /// </summary>
    public async Task RunAsync(string id, string instance, long upTo, CancellationToken cancellationToken)
    {
        try
        {
            var subscription = await OwnAsync(id, instance, cancellationToken);
            if (subscription is null)
            {
                return;
            }

            if (subscription.ExpirationDateTime <= clock.GetUtcNow().UtcDateTime)
            {
                await RemoveExpiredAsync(subscription, instance, cancellationToken);
                return;
            }

            var resource = SubscriptionResource.Parse(subscription.Resource, out _);
            var through = subscription.DeliveredThrough;
            var persisted = through;
            var persistedAt = clock.GetUtcNow();
            while (true)
            {
                if (through >= upTo)
                {
                    if (through > persisted && clock.GetUtcNow() - persistedAt >= CursorInterval)
                    {
                        if (!await MoveCursorAsync(subscription, instance, through, cancellationToken))
                        {
                            return; // deleted, or the lease was lost
                        }

                        (persisted, persistedAt) = (through, clock.GetUtcNow());
                    }

                    // Caught up: let changes gather for one poll interval rather than chase each commit with a query.
                    await Task.Delay(Settings.PollInterval, clock, cancellationToken);
                    var mark = await log.HighWaterMarkAsync(cancellationToken);
                    if (mark <= through || (subscription = await OwnAsync(id, instance, cancellationToken)) is null || subscription.ExpirationDateTime <= clock.GetUtcNow().UtcDateTime)
                    {
                        if (through > persisted && subscription is not null)
                        {
                            await MoveCursorAsync(subscription, instance, through, cancellationToken);
                        }

                        return;
                    }

                    upTo = mark;
                    continue;
                }

                // A window of the log at a time: a filtered subscription's query reads a bounded range, however far behind it is.
                var windowEnd = Math.Min(upTo, through + (Settings.MaxNotificationsPerPost * 4L));
                var batch = await log.PendingAsync(subscription, resource, through, windowEnd, Settings.MaxNotificationsPerPost, cancellationToken);
                if (batch.Count == 0)
                {
                    through = windowEnd;
                    continue;
                }

                var response = await PostAsync(subscription.NotificationUrl, NotificationPayload.Changes(subscription, batch), cancellationToken);
                if (!response.IsSuccess)
                {
                    if (through > persisted && await MoveCursorAsync(subscription, instance, through, cancellationToken))
                    {
                        // The receiver took part of the backlog: it has been failing since now, not since earlier.
                        (subscription.FailingSince, subscription.FailedAttempts) = (null, 0);
                    }

                    await FailedAsync(subscription, resource, instance, through, upTo, response, cancellationToken);
                    return;
                }

                var now = clock.GetUtcNow();
                metrics.Accepted(batch.Count, batch.Select(change => (now - new DateTimeOffset(DateTime.SpecifyKind(change.RecordedAt, DateTimeKind.Utc))).TotalSeconds));
                through = batch.Count < Settings.MaxNotificationsPerPost ? windowEnd : batch[^1].Sequence;
                if (now - persistedAt >= CursorInterval)
                {
                    if (!await MoveCursorAsync(subscription, instance, through, cancellationToken))
                    {
                        return;
                    }

                    (persisted, persistedAt) = (through, now);
                }
            }
        }
        finally
        {
            await ReleaseAsync(id, instance);
        }
    }

    private static readonly TimeSpan CursorInterval = TimeSpan.FromSeconds(1);

    private Task<SubscriptionRecord?> OwnAsync(string id, string instance, CancellationToken cancellationToken) =>
        db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.LeaseOwner == instance, cancellationToken);

    private async Task<OutboundResponse> PostAsync(string url, byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return await outbound.PostAsync(new Uri(url), content, cancellationToken);
    }

    /// <summary>Everything through <paramref name="through"/> is delivered; the receiver is healthy again; the lease is renewed.</summary>
    private async Task<bool> MoveCursorAsync(SubscriptionRecord subscription, string instance, long through, CancellationToken cancellationToken)
    {
        var until = clock.GetUtcNow().UtcDateTime + Settings.LeaseDuration;
        using (await gate.EnterAsync(db, cancellationToken))
        {
            return 1 == await db.Subscriptions.Where(s => s.Id == subscription.Id && s.LeaseOwner == instance && s.DeliveredThrough <= through)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(s => s.DeliveredThrough, through)
                    .SetProperty(s => s.FailedAttempts, 0)
                    .SetProperty(s => s.FailingSince, (DateTime?)null)
                    .SetProperty(s => s.LeaseExpiresAt, until), cancellationToken);
        }
    }

    private async Task FailedAsync(SubscriptionRecord subscription, SubscriptionResource resource, string instance, long through, long upTo, OutboundResponse response, CancellationToken cancellationToken)
    {
        metrics.DeliveryFailed();
        var now = clock.GetUtcNow().UtcDateTime;
        var failingSince = subscription.FailingSince ?? now;
        if (now - failingSince >= Settings.RetryWindow)
        {
            // Past the window: drop the backlog, and tell the client to resync with its delta link.
            var dropped = await log.CountPendingAsync(subscription, resource, through, upTo, cancellationToken);
            metrics.GaveUp(dropped);
            logger.LogWarning("Subscription {SubscriptionId}: its receiver has failed since {FailingSince:O}; {Count} notifications dropped, a missed notification follows.", subscription.Id, failingSince, dropped);
            await MoveCursorAsync(subscription, instance, upTo, cancellationToken);
            await SendLifecycleAsync(subscription, "missed", cancellationToken);
            return;
        }

        var attempts = subscription.FailedAttempts + 1;
        var backoff = TimeSpan.FromTicks(Math.Min(Settings.MaxBackoff.Ticks, Settings.FirstBackoff.Ticks * (1L << Math.Min(attempts - 1, 30))));
        logger.LogInformation("Subscription {SubscriptionId}: delivery failed ({Status} {Reason}); attempt {Attempt}, next in {Backoff}.",
            subscription.Id, response.StatusCode, response.FailureReason, attempts, backoff);
        using (await gate.EnterAsync(db, cancellationToken))
        {
            await db.Subscriptions.Where(s => s.Id == subscription.Id && s.LeaseOwner == instance)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(s => s.FailedAttempts, attempts)
                    .SetProperty(s => s.FailingSince, failingSince)
                    .SetProperty(s => s.NextAttemptAt, now + backoff), cancellationToken);
        }
    }

    private async Task RemoveExpiredAsync(SubscriptionRecord subscription, string instance, CancellationToken cancellationToken)
    {
        using (await gate.EnterAsync(db, cancellationToken))
        {
            await db.Subscriptions.Where(s => s.Id == subscription.Id && s.LeaseOwner == instance).ExecuteDeleteAsync(cancellationToken);
        }

        await SendLifecycleAsync(subscription, "subscriptionRemoved", cancellationToken);
    }

    /// <summary>Lifecycle notifications are sent once, to lifecycleNotificationUrl when the subscription has one.</summary>
    private async Task SendLifecycleAsync(SubscriptionRecord subscription, string lifecycleEvent, CancellationToken cancellationToken)
    {
        if (subscription.LifecycleNotificationUrl is not { } url)
        {
            return;
        }

        var response = await PostAsync(url, NotificationPayload.Lifecycle(subscription, lifecycleEvent), cancellationToken);
        if (!response.IsSuccess)
        {
            logger.LogWarning("Subscription {SubscriptionId}: the {LifecycleEvent} lifecycle notification was not accepted ({Status} {Reason}).",
                subscription.Id, lifecycleEvent, response.StatusCode, response.FailureReason);
        }
    }

    private async Task ReleaseAsync(string id, string instance)
    {
        try
        {
            using (await gate.EnterAsync(db, CancellationToken.None))
            {
                await db.Subscriptions.Where(s => s.Id == id && s.LeaseOwner == instance)
                    .ExecuteUpdateAsync(set => set.SetProperty(s => s.LeaseOwner, (string?)null).SetProperty(s => s.LeaseExpiresAt, (DateTime?)null));
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            logger.LogDebug(exception, "Releasing the lease of subscription {SubscriptionId} failed; it runs out by itself.", id);
        }
    }
}
