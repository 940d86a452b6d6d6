using Microsoft.OData.UriParser;
using Microsoft.OData.UriParser.Aggregation;

namespace IndustryData.OData.Service.Querying;

/// <summary>One transformation of a $apply sequence, bound by the OData URI parser where it can bind it (<see cref="ApplyParser"/>).</summary>
public abstract record ApplyStep;

/// <summary>filter(condition), and $filter on the result of $apply.</summary>
public sealed record ApplyFilter(SingleValueNode Condition) : ApplyStep;

/// <summary>compute(expression as alias, …).</summary>
public sealed record ApplyCompute(IReadOnlyList<ComputeExpression> Items) : ApplyStep;

/// <summary>
/// aggregate(…) (<see cref="GroupBy"/> null: one instance for the whole input) or groupby((…)[,aggregate(…)])
/// (one instance per distinct combination of the grouping paths).
/// </summary>
public sealed record ApplyAggregate(IReadOnlyList<ApplyGroupingPath>? GroupBy, IReadOnlyList<AggregateExpressionBase> Aggregates) : ApplyStep;

/// <summary>orderby(…) inside $apply, and $orderby on its result.</summary>
public sealed record ApplyOrderBy(IReadOnlyList<(SingleValueNode Key, bool Descending)> Keys) : ApplyStep;

/// <summary>top(n).</summary>
public sealed record ApplyTop(long Count) : ApplyStep;

/// <summary>skip(n).</summary>
public sealed record ApplySkip(long Count) : ApplyStep;

/// <summary>A grouping path of groupby, flattened: <c>blockingError/code</c> is the path ["blockingError","code"] with its bound expression.</summary>
public sealed record ApplyGroupingPath(IReadOnlyList<string> Path, SingleValueNode Expression)
{
    public string Name => string.Join('/', Path);
}
