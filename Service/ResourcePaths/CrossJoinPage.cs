using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Querying;
using IndustryData.OData.Service.Subscriptions;

namespace IndustryData.OData.Service.ResourcePaths;

/// <summary>One row of $crossjoin(runs,subscriptions): a run (the run itself when $expand names runs) and a subscription.</summary>
internal sealed record CrossJoinRow(string RunId, Run? Run, SubscriptionRecord Subscription);

/// <summary>
/// A page of $crossjoin(runs,subscriptions): every run paired with every subscription of the caller, run by run (runs
/// by id, then the caller's subscriptions by id). A caller has few subscriptions (Subscriptions:MaxPerCaller), read once
/// per page; runs are read with a seek on their key after the cursor (run id, subscription id) of the previous page's
/// last row, only as many as the page needs: the product is never walked beyond one page.
/// </summary>
internal static class CrossJoinPage
{
    /// <summary>Up to <paramref name="wanted"/> rows in the product's order.</summary>
    public static async Task<List<CrossJoinRow>> ReadAsync(ServiceWideRequest request, ServiceWideSets sets, int wanted, CancellationToken cancellationToken)
    {
        var subscriptions = await sets.SubscriptionsAsync(null, 0, int.MaxValue, cancellationToken);
        var rows = new List<CrossJoinRow>(wanted);
        if (subscriptions.Count == 0)
        {
            return rows; // a product with an empty set is empty: no run is read
        }

        var (afterRun, afterSubscription) = Cursor(request);
        var runSkip = request.SkipToken is null ? request.Skip / subscriptions.Count : 0;
        var first = request.SkipToken is null ? request.Skip % subscriptions.Count : 0;
        var runsNeeded = (wanted + first + subscriptions.Count - 1) / subscriptions.Count + (afterRun is null ? 0 : 1);
        var expanded = request.Expanded.Contains(ServiceWideSets.Runs);
        var runs = expanded
            ? (await sets.RunsAsync(afterRun, inclusive: true, runSkip, runsNeeded, cancellationToken)).Select(run => (run.Id, (Run?)run)).ToList()
            : (await sets.RunIdsAsync(afterRun, inclusive: true, runSkip, runsNeeded, cancellationToken)).Select(id => (id, (Run?)null)).ToList();
        foreach (var (runId, run) in runs)
        {
            var start = runId == afterRun ? subscriptions.FindIndex(subscription => string.CompareOrdinal(subscription.Id, afterSubscription) > 0) : first;
            first = 0;
            for (var index = start; index >= 0 && index < subscriptions.Count && rows.Count < wanted; index++)
            {
                rows.Add(new CrossJoinRow(runId, run, subscriptions[index]));
            }
        }

        return rows;
    }

    public static async Task<long> CountAsync(ServiceWideSets sets, CancellationToken cancellationToken)
    {
        var subscriptions = await sets.CountAsync(ServiceWideSets.Subscriptions, cancellationToken);
        return subscriptions == 0 ? 0 : subscriptions * await sets.CountAsync(ServiceWideSets.Runs, cancellationToken);
    }

    public static string Token(ServiceWideRequest request, CrossJoinRow last) =>
        OpaqueToken.Create(request.Resource, writer => { writer.WriteStringValue(last.RunId); writer.WriteStringValue(last.Subscription.Id); });

    private static (string? Run, string? Subscription) Cursor(ServiceWideRequest request)
    {
        if (request.SkipToken is null)
        {
            return (null, null);
        }

        using var items = OpaqueToken.Read(request.SkipToken, request.Resource);
        return items is not null && items.RootElement.GetArrayLength() == 2 && items.RootElement[0].GetString() is { } run && items.RootElement[1].GetString() is { } subscription
            ? (run, subscription)
            : throw SkipToken.Invalid();
    }
}
