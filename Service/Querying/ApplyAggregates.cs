using IndustryData.OData.Service.Errors;
using Microsoft.OData.UriParser.Aggregation;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// Aggregate expressions (Data Aggregation §3.2.1) as SQL aggregate functions, typed as the extension says: $count and
/// countdistinct are Edm.Decimal with scale 0; sum of integers Edm.Int64; average Edm.Double; min and max keep the type
/// of their input. Over a statistics member (a dynamic value) only the members that hold a number are summed, averaged
/// or compared for min/max (Edm.Double); countdistinct counts distinct JSON values, null left out.
/// </summary>
public static class ApplyAggregates
{
    public static ApplyValue Value(AggregateExpressionBase expression, ApplyExpressions expressions, ApplyRelation level, string option)
    {
        if (expression is not AggregateExpression aggregate)
        {
            throw QueryNotImplemented.For($"the aggregate expression {expression.Alias} over a collection", "Aggregate the properties of runs: $count, or a property with sum, min, max, average or countdistinct", option);
        }

        var dialect = level.Dialect;
        if (aggregate.Method == AggregationMethod.VirtualPropertyCount)
        {
            return new ApplyValue(dialect.CountAll, ApplyKind.Decimal);
        }

        if (aggregate.Method == AggregationMethod.Custom)
        {
            throw QueryNotImplemented.For($"the custom aggregation method {aggregate.MethodDefinition?.MethodLabel}", "Use sum, min, max, average or countdistinct", option);
        }

        var value = expressions.Value(aggregate.Expression);
        var method = aggregate.Method.ToString().ToLowerInvariant();
        if (value.Kind == ApplyKind.Json)
        {
            var member = level.MemberOf(value) ?? throw QueryNotImplemented.For($"{method} of an open member after it was grouped", "Aggregate statistics members before grouping by them", option);
            return aggregate.Method switch
            {
                AggregationMethod.Sum => new ApplyValue($"SUM({member.Number})", ApplyKind.Double),
                AggregationMethod.Average => new ApplyValue($"AVG({member.Number})", ApplyKind.Double),
                AggregationMethod.Min => new ApplyValue($"MIN({member.Number})", ApplyKind.Double),
                AggregationMethod.Max => new ApplyValue($"MAX({member.Number})", ApplyKind.Double),
                _ => new ApplyValue($"COUNT(DISTINCT CASE WHEN {member.Present} THEN {member.Text} END)", ApplyKind.Decimal),
            };
        }

        var numeric = value.Kind is ApplyKind.Int32 or ApplyKind.Int64 or ApplyKind.Decimal or ApplyKind.Double;
        switch (aggregate.Method)
        {
            case AggregationMethod.Sum when numeric:
                return value.Kind is ApplyKind.Int32 or ApplyKind.Int64
                    ? new ApplyValue(dialect.IsSqlite ? $"SUM({value.Sql})" : $"SUM(CAST({value.Sql} AS bigint))", ApplyKind.Int64)
                    : new ApplyValue($"SUM({value.Sql})", value.Kind);
            case AggregationMethod.Average when numeric:
                return new ApplyValue($"AVG(CAST({value.Sql} AS {(dialect.IsSqlite ? "REAL" : "float")}))", ApplyKind.Double);
            case AggregationMethod.Sum or AggregationMethod.Average:
                throw ApiException.BadRequest("invalidQueryOption",
                    $"{option}: {method} applies to numbers, and {expression.Alias} aggregates a value of type {value.Kind}. Use min, max or countdistinct, or a statistics member that holds numbers.", option);
            case AggregationMethod.Min:
                return new ApplyValue($"MIN({value.Sql})", value.Kind);
            case AggregationMethod.Max:
                return new ApplyValue($"MAX({value.Sql})", value.Kind);
            default:
                return new ApplyValue($"COUNT(DISTINCT {value.Sql})", ApplyKind.Decimal);
        }
    }
}
