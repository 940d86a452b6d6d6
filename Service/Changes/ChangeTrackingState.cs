namespace IndustryData.OData.Service.Changes;

/// <summary>The one row of change-tracking state (id 1).</summary>
public sealed class ChangeTrackingState
{
    public const int SingleId = 1;

    public int Id { get; set; } = SingleId;

    /// <summary>
    /// SQLite's change counter: every insert or update of a run and every tombstone takes the next value, in a trigger
    /// of the writing statement, so numbers follow commit order (SQLite has one writer at a time). Unused on SQL Server,
    /// where rowversion is the counter.
    /// </summary>
    public long LastSequence { get; set; }

    /// <summary>The highest sequence of any pruned tombstone: a delta token below it may have missed a deletion (410).</summary>
    public long PrunedThrough { get; set; }
}
