namespace IndustryData.OData.Service.Subscriptions;

/// <summary>Change notifications' settings (section "Subscriptions"); Graph's values are the defaults.</summary>
public sealed class SubscriptionOptions
{
    public const string Section = "Subscriptions";

    /// <summary>How far ahead expirationDateTime may be (Graph: 4,230 minutes for most resources).</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromMinutes(4230);

    /// <summary>How long a receiver may fail before its backlog is dropped and a missed notification sent (Graph: 4 hours).</summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromHours(4);

    /// <summary>First backoff after a failed delivery; it doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often an instance looks for work (commit-to-delivery latency is at most about this plus the POST).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often an instance checks whether anyone subscribes while nobody does (a subscription made here wakes it at once).</summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an instance owns a subscription's delivery without renewing the lease.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries in flight at once on one instance, over all subscriptions.</summary>
    public int MaxConcurrentDeliveries { get; set; } = 16;

    /// <summary>Notifications per POST when they queue up.</summary>
    public int MaxNotificationsPerPost { get; set; } = 500;

    /// <summary>The receiver must echo the validation token within this time.</summary>
    public TimeSpan ValidationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Subscriptions per caller.</summary>
    public int MaxPerCaller { get; set; } = 100;
}
