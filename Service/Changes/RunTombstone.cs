namespace IndustryData.OData.Service.Changes;

/// <summary>
/// What is left of a deleted run, for delta: its id and type, and the change sequence of its deletion. Written by the
/// database's AFTER DELETE trigger on runs, in the deleting statement; pruned after ChangeTracking:TombstoneRetention.
/// </summary>
public sealed class RunTombstone
{
    public string Id { get; set; } = string.Empty;

    /// <summary>The run's discriminator (e.g. outgoingFlowRun).</summary>
    public string Type { get; set; } = string.Empty;

    /// <summary>SQLite: the change counter's value (set by trigger). SQL Server: the row's rowversion.</summary>
    public long Sequence { get; set; }

    public DateTimeOffset DeletedAt { get; set; }
}
