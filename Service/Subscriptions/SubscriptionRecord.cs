namespace IndustryData.OData.Service.Subscriptions;

/// <summary>
/// A stored subscription: what the client asked for (the <see cref="Model.Subscriptions.Subscription"/> it reads back)
/// plus its owner and delivery state. The delivery state lives in the row, not in memory, so any instance can take
/// over a subscription whose lease has run out, and a restart resumes from <see cref="DeliveredThrough"/>.
/// </summary>
public sealed class SubscriptionRecord
{
    public string Id { get; set; } = string.Empty;

    /// <summary>The caller that owns it (<see cref="Security.Callers.Qualified"/>): nobody else can see or change it.</summary>
    public string Owner { get; set; } = string.Empty;

    public string? ApplicationId { get; set; }

    public string? CreatorId { get; set; }

    public ChangeTypes ChangeTypes { get; set; }

    /// <summary>The resource as the client sent it (normalised: no leading slash).</summary>
    public string Resource { get; set; } = string.Empty;

    public string NotificationUrl { get; set; } = string.Empty;

    public string? LifecycleNotificationUrl { get; set; }

    public string? ClientState { get; set; }

    public DateTime ExpirationDateTime { get; set; }

    public DateTime CreatedDateTime { get; set; }

    /// <summary>Every change up to this sequence has been delivered (or given up with a missed notification).</summary>
    public long DeliveredThrough { get; set; }

    /// <summary>The instance delivering it now, until <see cref="LeaseExpiresAt"/>.</summary>
    public string? LeaseOwner { get; set; }

    public DateTime? LeaseExpiresAt { get; set; }

    /// <summary>Not before this time: the backoff after a failed delivery.</summary>
    public DateTime NextAttemptAt { get; set; }

    /// <summary>Since when the receiver has been failing (null while healthy): past the retry window, the backlog is dropped.</summary>
    public DateTime? FailingSince { get; set; }

    public int FailedAttempts { get; set; }
}
