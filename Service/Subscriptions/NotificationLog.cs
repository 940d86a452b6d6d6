using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Changes;
using IndustryData.OData.Service.Storage;
using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Service.Subscriptions;

/// <summary>
/// Reads the notification log (<see cref="RunChange"/>): its high-water mark, the changes a subscription has still to
/// receive, and pruning of what every subscription has received.
/// </summary>
public sealed class NotificationLog(RunsDbContext db, SubscriptionFilter filters)
{
    // The log's rows in (after, upTo] read as runs: the run's columns under their own names. Quoted, since statistics,
    // type and status are keywords in T-SQL.
    private static readonly string[] SnapshotColumns = ["type", "displayName", "startDateTime", "endDateTime", "status", "blockingError", "statistics"];

    private static readonly string SqliteSnapshots =
        $"SELECT \"runId\" AS \"id\", {string.Join(", ", SnapshotColumns.Select(c => $"\"{c}\""))}, \"version\", \"sequence\" AS \"{ChangeTrackingConfiguration.RunSequenceColumn}\" " +
        $"FROM \"{SubscriptionStorage.ChangesTable}\" WHERE \"sequence\" > {{0}} AND \"sequence\" <= {{1}}";

    private static readonly string SqlServerSnapshots =
        $"SELECT [runId] AS [id], {string.Join(", ", SnapshotColumns.Select(c => $"[{c}]"))}, [sequence] AS [version] " +
        $"FROM [{SubscriptionStorage.ChangesTable}] WHERE [sequence] > CAST(CAST({{0}} AS bigint) AS binary(8)) AND [sequence] <= CAST(CAST({{1}} AS bigint) AS binary(8))";

    /// <summary>
    /// The highest sequence below which every change is committed. SQLite: the log's AUTOINCREMENT counter (one writer
    /// at a time, and it survives the rows being pruned). SQL Server: MIN_ACTIVE_ROWVERSION() - 1, as delta uses it.
    /// </summary>
    public async Task<long> HighWaterMarkAsync(CancellationToken cancellationToken) => db.Database.IsSqlite()
        ? await db.Database.SqlQueryRaw<long>($"SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '{SubscriptionStorage.ChangesTable}'), 0) AS \"Value\"").SingleAsync(cancellationToken)
        : await db.Database.SqlQueryRaw<long>("SELECT CAST(MIN_ACTIVE_ROWVERSION() AS bigint) - 1 AS [Value]").SingleAsync(cancellationToken);

    /// <summary>
    /// Up to <paramref name="take"/> changes in (after, upTo] that the subscription covers, in commit order: only what a
    /// notification carries, not the values the $filter reads.
    /// </summary>
    public Task<List<RunChange>> PendingAsync(SubscriptionRecord subscription, SubscriptionResource resource, long after, long upTo, int take, CancellationToken cancellationToken) =>
        Covered(subscription, resource, after, upTo)
            .OrderBy(change => change.Sequence)
            .Take(take)
            .Select(change => new RunChange
            {
                Sequence = change.Sequence, ChangeType = change.ChangeType, RunId = change.RunId, Type = change.Type, Version = change.Version, RecordedAt = change.RecordedAt,
            })
            .ToListAsync(cancellationToken);

    /// <summary>How many changes in (after, upTo] the subscription covers (what a give-up drops).</summary>
    public Task<int> CountPendingAsync(SubscriptionRecord subscription, SubscriptionResource resource, long after, long upTo, CancellationToken cancellationToken) =>
        Covered(subscription, resource, after, upTo).CountAsync(cancellationToken);

    /// <summary>Deletes up to <paramref name="batch"/> log rows that every subscription has received; the count deleted.</summary>
    public async Task<int> PruneAsync(int batch, CancellationToken cancellationToken)
    {
        var oldestCursor = await db.Subscriptions.AsNoTracking().Select(s => (long?)s.DeliveredThrough).MinAsync(cancellationToken);
        var prunable = db.RunChanges.Where(change => oldestCursor == null || change.Sequence <= oldestCursor);
        var through = await prunable.OrderBy(change => change.Sequence).Skip(batch - 1).Select(change => (long?)change.Sequence).FirstOrDefaultAsync(cancellationToken);
        return through is { } last
            ? await prunable.Where(change => change.Sequence <= last).ExecuteDeleteAsync(cancellationToken)
            : await prunable.ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>When the oldest change some subscription still waits for was recorded (null: nothing waits).</summary>
    public async Task<DateTime?> OldestUndeliveredAsync(CancellationToken cancellationToken)
    {
        var oldestCursor = await db.Subscriptions.AsNoTracking().Select(s => (long?)s.DeliveredThrough).MinAsync(cancellationToken);
        return oldestCursor is { } cursor
            ? await db.RunChanges.AsNoTracking().Where(change => change.Sequence > cursor).OrderBy(change => change.Sequence).Select(change => (DateTime?)change.RecordedAt).FirstOrDefaultAsync(cancellationToken)
            : null;
    }

    private IQueryable<RunChange> Covered(SubscriptionRecord subscription, SubscriptionResource resource, long after, long upTo)
    {
        var types = subscription.ChangeTypes;
        var changes = db.RunChanges.AsNoTracking()
            .Where(change => change.Sequence > after && change.Sequence <= upTo && (change.ChangeType & types) != ChangeTypes.None);
        if (resource.Discriminator is { } discriminator)
        {
            changes = changes.Where(change => change.Type == discriminator);
        }

        if (resource.Filter is not null)
        {
            var matching = MatchingSequences(resource, after, upTo);
            changes = changes.Where(change => matching.Contains(change.Sequence));
        }

        return changes;
    }

    /// <summary>
    /// The sequences in (after, upTo] whose recorded state the resource's $filter selects: the log rows read as runs (same
    /// columns, same converters), filtered by the list's own filter translation, in the database.
    /// </summary>
    private IQueryable<long> MatchingSequences(SubscriptionResource resource, long after, long upTo)
    {
        if (db.Database.IsSqlite())
        {
            var snapshots = db.Runs.FromSqlRaw(SqliteSnapshots, after, upTo);
            return filters.Apply(snapshots.AsNoTracking(), resource).Select(run => EF.Property<long>(run, ChangeTrackingConfiguration.RunSequenceColumn));
        }

        // SQL Server: the run's rowversion column carries the log's sequence here (the filter cannot name version).
        var rows = db.Runs.FromSqlRaw(SqlServerSnapshots, after, upTo);
        return filters.Apply(rows.AsNoTracking(), resource).Select(run => run.Version);
    }
}
