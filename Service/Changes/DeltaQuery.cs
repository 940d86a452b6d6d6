using IndustryData.OData.Model.Edm;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Protocol;
using IndustryData.OData.Service.Querying;
using IndustryData.OData.Service.Runs;
using IndustryData.OData.Service.Storage;
using IndustryData.OData.Service.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.OData.Edm;
using Microsoft.Extensions.Options;

namespace IndustryData.OData.Service.Changes;

/// <summary>
/// One page of <c>delta()</c>: first every run (by id, as of a high-water mark), then, from each deltaLink, every run
/// changed and every run deleted since the mark it carries, each once, by change sequence, up to a new mark.
/// </summary>
public sealed class DeltaQuery(RunsDbContext db, ChangeFeed feed, IOptions<ChangeTrackingOptions> options, TimeProvider clock, ServiceMetrics metrics)
{
    private static readonly SortOrder ById = SortOrder.For(null, typeof(Run));

    public async Task<DeltaPage> PageAsync<T>(HttpRequest request, string deltaPath, CancellationToken cancellationToken)
        where T : Run
    {
        var delta = DeltaRequest.Parse(request, (IEdmStructuredType)IndustryDataEdm.Model.FindType(RunTypeNames.Of(typeof(T))));
        var preferred = Preferences.MaxPageSize(request);
        var take = preferred is { } size ? Math.Min(size, RunQueryOptions.MaxTop) : RunQuery.DefaultPageSize;
        if (preferred is { } applied)
        {
            Preferences.AppliedAsStated(request.HttpContext, "maxpagesize", applied);
        }

        var now = clock.GetUtcNow();
        DeltaToken position;
        if (delta.DeltaToken is { } deltaToken)
        {
            var since = DeltaToken.Read(deltaToken, typeof(T), DeltaToken.Option);
            if (since.Phase != DeltaPhase.Changes || since.AfterSequence != since.Since)
            {
                throw ApiException.BadRequest("invalidDeltaToken", "$deltatoken is not a delta link's token. Follow @odata.deltaLink exactly as the service returned it.", DeltaToken.Option);
            }

            if (now - since.IssuedAt > options.Value.TombstoneRetention)
            {
                throw Gone("syncStateNotFound",
                    $"The delta link was issued {since.IssuedAt:u}, longer ago than deletions are remembered ({options.Value.TombstoneRetention}).");
            }

            position = since with { UpTo = await feed.HighWaterMarkAsync(cancellationToken) };
        }
        else if (delta.SkipToken is { } skipToken)
        {
            position = DeltaToken.Read(skipToken, typeof(T), SkipToken.Option);
        }
        else
        {
            var mark = await feed.HighWaterMarkAsync(cancellationToken);
            position = new DeltaToken(DeltaPhase.Initial, mark, mark, mark, null, now);
        }

        var page = position.Phase == DeltaPhase.Initial
            ? await EveryRunAsync<T>(request, delta, deltaPath, position, take, now, cancellationToken)
            : await ChangesAsync<T>(request, delta, deltaPath, position, take, now, cancellationToken);
        var removed = page.Items.Count(change => change.Tombstone is not null);
        metrics.DeltaDelivered(position.Phase == DeltaPhase.Initial ? "initial" : "changes", page.Items.Count - removed, removed);
        return page;
    }

    private async Task<DeltaPage> EveryRunAsync<T>(HttpRequest request, DeltaRequest delta, string deltaPath, DeltaToken position, int take, DateTimeOffset now,
        CancellationToken cancellationToken)
        where T : Run
    {
        var runs = db.RunsOf<T>();
        if (position.AfterId is { } afterId)
        {
            runs = runs.Where(KeysetSeek.Segments<T>(ById, [afterId]).Single());
        }

        var page = await ById.Apply(runs).Take(take + 1).ToListAsync(cancellationToken);
        var items = page.Take(take).Select(run => new Change(0, run, null)).ToList();
        return page.Count > take
            ? Page<T>(request, delta, deltaPath, items, next: position with { AfterId = page[take - 1].Id })
            : Page<T>(request, delta, deltaPath, items, deltaLink: DeltaToken.Changes(position.UpTo, now));
    }

    private async Task<DeltaPage> ChangesAsync<T>(HttpRequest request, DeltaRequest delta, string deltaPath, DeltaToken position, int take, DateTimeOffset now,
        CancellationToken cancellationToken)
        where T : Run
    {
        if (await feed.PrunedThroughAsync(cancellationToken) > position.AfterSequence)
        {
            throw Gone("resyncRequired", "Deletions this delta link has not delivered yet were pruned.");
        }

        var runs = await feed.ChangedRunsAsync<T>(position.AfterSequence, position.UpTo, take + 1, cancellationToken);
        var deletions = await feed.DeletionsAsync<T>(position.AfterSequence, position.UpTo, take + 1, cancellationToken);
        var changes = runs.Concat(deletions).OrderBy(change => change.Sequence).Take(take + 1).ToList();
        var items = changes.Take(take).ToList();
        return changes.Count > take
            ? Page<T>(request, delta, deltaPath, items, next: position with { AfterSequence = items[^1].Sequence })
            : Page<T>(request, delta, deltaPath, items, deltaLink: DeltaToken.Changes(position.UpTo, now));
    }

    private static DeltaPage Page<T>(HttpRequest request, DeltaRequest delta, string deltaPath, List<Change> items, DeltaToken? next = null, DeltaToken? deltaLink = null)
        where T : Run => new(items, delta.Selected,
            next is null ? null : Link<T>(request, deltaPath, delta.Select, SkipToken.Option, next),
            deltaLink is null ? null : Link<T>(request, deltaPath, delta.Select, DeltaToken.Option, deltaLink));

    /// <summary>The delta function's URL with $select as the client gave it and the service's token.</summary>
    private static Uri Link<T>(HttpRequest request, string deltaPath, string? select, string option, DeltaToken token)
        where T : Run
    {
        var query = select is null ? string.Empty : "$select=" + Uri.EscapeDataString(select) + "&";
        return new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{deltaPath}?{query}{option}={Uri.EscapeDataString(token.Write(typeof(T)))}");
    }

    private static ApiException Gone(string code, string why) => new(StatusCodes.Status410Gone, code,
        $"{why} Start over with GET /runs/delta() (without a token) to read every run and get a new delta link.", DeltaToken.Option);
}

/// <summary>A delta page: its entries, the properties selected, and either the next page or the next delta link.</summary>
public sealed record DeltaPage(IReadOnlyList<Change> Items, IReadOnlySet<string>? Selected, Uri? NextLink, Uri? DeltaLink);
