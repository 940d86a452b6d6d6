using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Storage;
using IndustryData.OData.Service.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Service.ResourcePaths;

// EF Core translates string.Compare(a, b) op 0 to a op b in SQL (the column's collation, as its ORDER BY uses); the
// overloads with a StringComparison that CA1309 asks for are not translated.
#pragma warning disable CA1309

/// <summary>
/// The two entity sets as a service-wide read sees them: runs (all of them) and the caller's subscriptions, each in the
/// order of its key, read a bounded slice at a time after a key (a seek on the primary key, or on (owner, id)).
/// </summary>
internal sealed class ServiceWideSets(RunsDbContext db, string owner)
{
    public const string Runs = "runs";
    public const string Subscriptions = "subscriptions";

    public Task<List<Run>> RunsAsync(string? after, bool inclusive, int skip, int take, CancellationToken cancellationToken) =>
        PageAsync(RunsFrom(after, inclusive), skip, take, cancellationToken);

    /// <summary>The keys only, for rows that link to the run rather than hold it.</summary>
    public Task<List<string>> RunIdsAsync(string? after, bool inclusive, int skip, int take, CancellationToken cancellationToken) =>
        PageAsync(RunsFrom(after, inclusive).Select(run => run.Id), skip, take, cancellationToken);

    public async Task<List<SubscriptionRecord>> SubscriptionsAsync(string? after, int skip, int take, CancellationToken cancellationToken)
    {
        var mine = db.Subscriptions.AsNoTracking().Where(subscription => subscription.Owner == owner);
        if (after is not null)
        {
            mine = mine.Where(subscription => string.Compare(subscription.Id, after) > 0);
        }

        return await PageAsync(mine.OrderBy(subscription => subscription.Id), skip, take, cancellationToken);
    }

    private IOrderedQueryable<Run> RunsFrom(string? after, bool inclusive)
    {
        var runs = db.Runs.AsNoTracking();
        if (after is not null)
        {
            runs = inclusive ? runs.Where(run => string.Compare(run.Id, after) >= 0) : runs.Where(run => string.Compare(run.Id, after) > 0);
        }

        return runs.OrderBy(run => run.Id);
    }

    private static Task<List<T>> PageAsync<T>(IQueryable<T> ordered, int skip, int take, CancellationToken cancellationToken) =>
        (skip > 0 ? ordered.Skip(skip) : ordered).Take(take).ToListAsync(cancellationToken);

    public Task<long> CountAsync(string set, CancellationToken cancellationToken) => set == Runs
        ? db.Runs.LongCountAsync(cancellationToken)
        : db.Subscriptions.Where(subscription => subscription.Owner == owner).LongCountAsync(cancellationToken);
}
