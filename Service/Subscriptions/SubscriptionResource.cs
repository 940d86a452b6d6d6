using IndustryData.OData.Model.Edm;
using IndustryData.OData.Model.Runs;

namespace IndustryData.OData.Service.Subscriptions;

/// <summary>
/// What a subscription's resource names: runs, runs/{type cast}, either with ?$filter=…. The filter is checked when the
/// subscription is created (<see cref="SubscriptionFilter"/>) and evaluated against each change's state at delivery.
/// </summary>
public sealed record SubscriptionResource(Type RunType, string? Discriminator, string? Filter)
{
    private const string Hint = "Use runs, runs/microsoft.graph.industryData.outgoingFlowRun (or incomingFlowRun), optionally with ?$filter=… as a list accepts it, e.g. runs?$filter=status eq 'failed'.";

    /// <summary>The resource, or the reason it is not one (a sentence for the 400).</summary>
    public static SubscriptionResource Parse(string text, out string? refusal)
    {
        refusal = null;
        var trimmed = text.Trim().TrimStart('/');
        var question = trimmed.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? trimmed : trimmed[..question];
        var query = question < 0 ? string.Empty : trimmed[(question + 1)..];

        var (type, discriminator) = path switch
        {
            IndustryDataEdm.RunsEntitySetName => (typeof(Run), (string?)null),
            "runs/" + IndustryDataEdm.OutgoingFlowRunTypeName => (typeof(OutgoingFlowRun), "outgoingFlowRun"),
            "runs/" + IndustryDataEdm.IncomingFlowRunTypeName => (typeof(IncomingFlowRun), "incomingFlowRun"),
            _ => (null, null),
        };
        if (type is null)
        {
            refusal = $"'{text}' is not a resource that can be subscribed to. {Hint}";
            return new SubscriptionResource(typeof(Run), null, null);
        }

        string? filter = null;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            if (!name.TrimStart('$').Equals("filter", StringComparison.OrdinalIgnoreCase) || filter is not null || value.Length == 0)
            {
                refusal = $"The resource's query may hold one non-empty $filter and nothing else ('{name}' is not accepted). {Hint}";
                return new SubscriptionResource(type, discriminator, null);
            }

            filter = value;
        }

        return new SubscriptionResource(type, discriminator, filter);
    }
}
