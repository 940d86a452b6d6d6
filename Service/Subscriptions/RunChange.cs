using IndustryData.OData.Model.Runs;

namespace IndustryData.OData.Service.Subscriptions;

/// <summary>
/// One committed write of a run, as the notification log (outbox) records it: written by a trigger in the write's own
/// statement, so a write and its record commit or roll back together whoever writes (group commit, EF Core, $batch).
/// It keeps the run's values as that write left them (for a delete, as they were), so a subscription's $filter is
/// evaluated against the state the change produced, and the notification carries that write's ETag.
/// Recorded only while at least one subscription exists.
/// </summary>
public sealed class RunChange
{
    /// <summary>SQL Server's surrogate key (the order comes from <see cref="Sequence"/>); unused on SQLite.</summary>
    public long Id { get; set; }

    /// <summary>Commit order: SQLite's AUTOINCREMENT key (one writer at a time), SQL Server's rowversion.</summary>
    public long Sequence { get; set; }

    public ChangeTypes ChangeType { get; set; }

    public string RunId { get; set; } = string.Empty;

    /// <summary>The discriminator (outgoingFlowRun, incomingFlowRun).</summary>
    public string Type { get; set; } = string.Empty;

    public string DisplayName { get; set; } = string.Empty;

    public DateTimeOffset StartDateTime { get; set; }

    public DateTimeOffset? EndDateTime { get; set; }

    public RunStatus Status { get; set; }

    public string? BlockingError { get; set; }

    public string Statistics { get; set; } = "{}";

    /// <summary>The run's version after the write: the notification's @odata.etag.</summary>
    public long Version { get; set; }

    public DateTime RecordedAt { get; set; }
}
