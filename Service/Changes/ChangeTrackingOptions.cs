namespace IndustryData.OData.Service.Changes;

/// <summary>Bound from the "ChangeTracking" section.</summary>
public sealed class ChangeTrackingOptions
{
    public const string SectionName = "ChangeTracking";

    /// <summary>How long deletions are remembered; a delta token older than this answers 410.</summary>
    public TimeSpan TombstoneRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often expired tombstones are pruned.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>At most this many tombstones are deleted per statement, so pruning never holds the writer for long.</summary>
    public int PruneBatchSize { get; set; } = 1000;
}
