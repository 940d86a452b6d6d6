using System.Linq.Expressions;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Querying;
using IndustryData.OData.Service.Storage;
using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Service.Changes;

/// <summary>
/// The database's change sequence, per provider: what has changed between two sequence numbers, and the highest
/// number below which every change is committed (the high-water mark). A delta never reads past that mark, so a
/// change that commits later, even one that started earlier, always lands above the mark of the call that missed it.
/// </summary>
public sealed class ChangeFeed(RunsDbContext db)
{
    /// <summary>
    /// SQLite: the counter, which a writer advances inside its own write transaction (one writer at a time), so every
    /// number up to it is committed. SQL Server: MIN_ACTIVE_ROWVERSION() - 1, below which no transaction is still open.
    /// </summary>
    public async Task<long> HighWaterMarkAsync(CancellationToken cancellationToken) => db.Database.IsSqlite()
        ? await db.ChangeTracking.AsNoTracking().Where(s => s.Id == ChangeTrackingState.SingleId).Select(s => s.LastSequence).SingleAsync(cancellationToken)
        : await db.Database.SqlQueryRaw<long>("SELECT CAST(MIN_ACTIVE_ROWVERSION() AS bigint) - 1 AS [Value]").SingleAsync(cancellationToken);

    public Task<long> PrunedThroughAsync(CancellationToken cancellationToken) =>
        db.ChangeTracking.AsNoTracking().Where(s => s.Id == ChangeTrackingState.SingleId).Select(s => s.PrunedThrough).SingleAsync(cancellationToken);

    /// <summary>Runs of <typeparamref name="T"/> whose last change is in (after, upTo], in sequence order.</summary>
    public async Task<List<Change>> ChangedRunsAsync<T>(long after, long upTo, int take, CancellationToken cancellationToken)
        where T : Run
    {
        var run = Expression.Parameter(typeof(T), "run");
        var sequence = db.Database.IsSqlite()
            ? (Expression)Expression.Call(typeof(EF), nameof(EF.Property), [typeof(long)], run, Expression.Constant(ChangeTrackingConfiguration.RunSequenceColumn))
            : Expression.Property(run, nameof(Run.Version));
        var sequenceOf = Expression.Lambda<Func<T, long>>(sequence, run);
        var inRange = Expression.Lambda<Func<T, bool>>(
            Expression.AndAlso(Expression.GreaterThan(sequence, QueryParameter.Of(typeof(long), after)), Expression.LessThanOrEqual(sequence, QueryParameter.Of(typeof(long), upTo))), run);
        var withSequence = Expression.Lambda<Func<T, Change>>(
            Expression.New(typeof(Change).GetConstructor([typeof(long), typeof(Run), typeof(RunTombstone)])!, sequence, run, Expression.Constant(null, typeof(RunTombstone))), run);
        return await db.RunsOf<T>().Where(inRange).OrderBy(sequenceOf).Take(take).Select(withSequence).ToListAsync(cancellationToken);
    }

    /// <summary>Deletions of runs of <typeparamref name="T"/> in (after, upTo], in sequence order.</summary>
    public async Task<List<Change>> DeletionsAsync<T>(long after, long upTo, int take, CancellationToken cancellationToken)
        where T : Run
    {
        var tombstones = db.RunTombstones.AsNoTracking().Where(t => t.Sequence > after && t.Sequence <= upTo);
        if (typeof(T) != typeof(Run))
        {
            var type = (string?)db.Model.FindEntityType(typeof(T))?.GetDiscriminatorValue();
            tombstones = tombstones.Where(t => t.Type == type);
        }

        var rows = await tombstones.OrderBy(t => t.Sequence).Take(take).ToListAsync(cancellationToken);
        return [.. rows.Select(t => new Change(t.Sequence, null, t))];
    }

}

/// <summary>One entry of a delta: a run as it is now, or the tombstone of a deleted run, at its change sequence.</summary>
public sealed record Change(long Sequence, Run? Run, RunTombstone? Tombstone);
