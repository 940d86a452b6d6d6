using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Querying;
using IndustryData.OData.Service.Subscriptions;

namespace IndustryData.OData.Service.ResourcePaths;

/// <summary>
/// A page of $all: the union of its sets in a fixed order (all runs by id, then the caller's subscriptions by id),
/// read after the cursor (set, id) of the previous page's last entity, or after $skip entities on the first page.
/// Each set is read with a seek on its key, at most one page (plus one, to know whether more follow) at a time.
/// </summary>
internal static class AllEntitiesPage
{
    /// <summary>Up to <paramref name="wanted"/> entities (runs and subscriptions), in the union's order.</summary>
    public static async Task<List<object>> ReadAsync(ServiceWideRequest request, ServiceWideSets sets, int wanted, CancellationToken cancellationToken)
    {
        var (startSet, afterId) = Cursor(request);
        var skip = request.SkipToken is null ? request.Skip : 0;
        var items = new List<object>(wanted);
        for (var index = request.Sets.ToList().IndexOf(startSet); index < request.Sets.Count && items.Count < wanted; index++)
        {
            var set = request.Sets[index];
            var after = set == startSet ? afterId : null;
            var read = set == ServiceWideSets.Runs
                ? (await sets.RunsAsync(after, inclusive: false, skip, wanted - items.Count, cancellationToken)).Cast<object>().ToList()
                : (await sets.SubscriptionsAsync(after, skip, wanted - items.Count, cancellationToken)).Cast<object>().ToList();
            if (skip > 0)
            {
                // The skipped entities end in this set (some were read) or span it whole (none were: skip what it holds).
                skip = read.Count > 0 ? 0 : (int)Math.Max(0, skip - await sets.CountAsync(set, cancellationToken));
            }

            items.AddRange(read);
        }

        return items;
    }

    /// <summary>The cursor after <paramref name="last"/>, for the next link.</summary>
    public static string Token(ServiceWideRequest request, object last) => last switch
    {
        Run run => OpaqueToken.Create(request.Resource, writer => { writer.WriteStringValue(ServiceWideSets.Runs); writer.WriteStringValue(run.Id); }),
        SubscriptionRecord subscription => OpaqueToken.Create(request.Resource, writer => { writer.WriteStringValue(ServiceWideSets.Subscriptions); writer.WriteStringValue(subscription.Id); }),
        _ => throw new ArgumentOutOfRangeException(nameof(last)),
    };

    private static (string Set, string? After) Cursor(ServiceWideRequest request)
    {
        if (request.SkipToken is null)
        {
            return (request.Sets[0], null);
        }

        using var items = OpaqueToken.Read(request.SkipToken, request.Resource);
        if (items is null || items.RootElement.GetArrayLength() != 2 || items.RootElement[0].GetString() is not { } set
            || !request.Sets.Contains(set) || items.RootElement[1].GetString() is not { } id)
        {
            throw SkipToken.Invalid();
        }

        return (set, id);
    }
}
