using IndustryData.OData.Model.Runs;

namespace IndustryData.OData.Model.Subscriptions;

/// <summary>
/// microsoft.graph.subscription: a client's request to be told, at <see cref="NotificationUrl"/>, of every change of
/// the runs its <see cref="Resource"/> names (Graph's change notifications, contract §11).
/// </summary>
public sealed class Subscription : Entity
{
    /// <summary>The caller's application (the token's azp/appid), read-only.</summary>
    public string? ApplicationId { get; set; }

    /// <summary>created, updated, deleted: comma-separated, as Graph spells it.</summary>
    public string ChangeType { get; set; } = string.Empty;

    /// <summary>Sent back in every notification; write-only (never listed back).</summary>
    public string? ClientState { get; set; }

    /// <summary>The user or service principal that created the subscription, read-only.</summary>
    public string? CreatorId { get; set; }

    public DateTimeOffset ExpirationDateTime { get; set; }

    public string? LifecycleNotificationUrl { get; set; }

    public string NotificationUrl { get; set; } = string.Empty;

    /// <summary>runs, a type-cast set (runs/microsoft.graph.industryData.outgoingFlowRun) or a set with $filter.</summary>
    public string Resource { get; set; } = string.Empty;
}
