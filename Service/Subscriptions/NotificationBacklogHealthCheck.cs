using IndustryData.OData.Service.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IndustryData.OData.Service.Subscriptions;

/// <summary>
/// /health's view of change notifications: how many subscriptions wait for deliveries and how old the oldest
/// undelivered change is. A backlog older than <see cref="DegradedAfter"/> degrades the instance (still a 200).
/// </summary>
public sealed class NotificationBacklogHealthCheck(RunsDbContext db, NotificationLog log, TimeProvider clock) : IHealthCheck
{
    public static readonly TimeSpan DegradedAfter = TimeSpan.FromMinutes(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!await db.Subscriptions.AnyAsync(cancellationToken))
        {
            return HealthCheckResult.Healthy();
        }

        var upTo = await log.HighWaterMarkAsync(cancellationToken);
        var waiting = await db.Subscriptions.CountAsync(s => s.DeliveredThrough < upTo, cancellationToken);
        var oldest = await log.OldestUndeliveredAsync(cancellationToken);
        var age = oldest is { } recorded ? clock.GetUtcNow() - new DateTimeOffset(DateTime.SpecifyKind(recorded, DateTimeKind.Utc)) : TimeSpan.Zero;
        var data = new Dictionary<string, object> { ["subscriptionsBehind"] = waiting, ["oldestUndeliveredSeconds"] = Math.Max(0, age.TotalSeconds) };
        var description = $"Notifications: {waiting} subscription(s) behind, oldest undelivered change {Math.Max(0, age.TotalSeconds):0.0} s old.";
        return age > DegradedAfter
            ? HealthCheckResult.Degraded(description + " Receivers are failing or slow; see the delivery metrics.", data: data)
            : HealthCheckResult.Healthy(description, data);
    }
}
