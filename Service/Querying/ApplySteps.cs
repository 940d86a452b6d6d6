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

/// <summary>Paths of $apply expressions.</summary>
public static class ApplyPaths
{
    /// <summary>The path a node addresses (<c>status</c>, <c>blockingError/code</c>, <c>statistics/a/b</c>, an alias), or null if it is not a path.</summary>
    public static List<string>? Of(SingleValueNode node) => node switch
    {
        SingleValuePropertyAccessNode property when Of(property.Source) is { } prefix => [.. prefix, property.Property.Name],
        SingleValueOpenPropertyAccessNode open when Of(open.Source) is { } prefix => [.. prefix, open.Name],
        SingleComplexNode complex when Of(complex.Source) is { } prefix => [.. prefix, complex.Property.Name],
        ResourceRangeVariableReferenceNode => [],
        _ => null,
    };

    private static List<string>? Of(QueryNode? node) => node switch
    {
        ResourceRangeVariableReferenceNode => [],
        SingleValueNode single => Of(single),
        _ => null,
    };
}
