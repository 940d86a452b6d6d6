namespace IndustryData.OData.Service.Idempotency;

/// <summary>Bound from the "Idempotency" section.</summary>
public sealed class IdempotencyOptions
{
    public const string SectionName = "Idempotency";

    /// <summary>How long a key is remembered: a retry within this time replays the first answer; after it, the key is new.</summary>
    public TimeSpan KeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often expired keys are deleted.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The most expired keys one delete statement removes (each statement takes one write turn).</summary>
    public int PruneBatchSize { get; set; } = 1000;
}
