using IndustryData.OData.Service.Async;
using Microsoft.Extensions.Options;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// Which statement budget a request's list, $count or $apply gets: Querying:StatementBudget when the client waits for
/// the answer, AsyncRequests:StatementBudget when it runs as an asynchronous job (Prefer: respond-async); either way its
/// long statements take turns in the <see cref="LongStatementSlots"/>.
/// </summary>
public sealed class StatementBudgets(IOptions<QueryingOptions> querying, IOptions<AsyncOptions> asyncRequests, LongStatementSlots slots)
{
    public TimeSpan LimitFor(HttpContext context) =>
        context.Items.ContainsKey(AsyncJob.Marker) ? asyncRequests.Value.StatementBudget : querying.Value.StatementBudget;

    public StatementBudget Start(HttpRequest request, CancellationToken cancellationToken) =>
        new(LimitFor(request.HttpContext), cancellationToken, slots);
}
