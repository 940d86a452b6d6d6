using System.Linq.Expressions;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// Date functions compared with literals become half-open ranges of the column, so the date-time indexes serve them
/// (a function on the column would read every row): <c>date(p) eq 2026-01-02</c> → <c>p ≥ 2026-01-02T00:00Z and
/// p &lt; 2026-01-03T00:00Z</c>; likewise <c>year(p)</c>, and <c>year(p) eq Y and month(p) eq M [and day(p) eq D]</c>
/// in one conjunction. Every value is UTC, so the ranges are exactly the function's answer.
/// </summary>
public sealed class DateRangePredicates(Func<QueryNode, Expression> bind)
{
    private enum Unit
    {
        Year,
        Month,
        Day,
    }

    /// <summary>The range form of a single comparison, or null if it has none.</summary>
    public Expression? TryRewrite(BinaryOperatorNode node)
    {
        if (!TryMatch(node, out var property, out var kind, out var unit, out var start))
        {
            return null;
        }

        var end = Next(start, unit);
        var column = Nullable(bind(property));
        return kind switch
        {
            BinaryOperatorKind.Equal => Expression.AndAlso(AtLeast(column, start), Before(column, end)),
            BinaryOperatorKind.NotEqual => OrNull(column, Expression.OrElse(Before(column, start), AtLeast(column, end))),
            BinaryOperatorKind.GreaterThan => AtLeast(column, end),
            BinaryOperatorKind.GreaterThanOrEqual => AtLeast(column, start),
            BinaryOperatorKind.LessThan => Before(column, start),
            _ => Before(column, end),
        };
    }

    /// <summary>
    /// In a conjunction, year(p) eq Y with month(p) eq M (and day(p) eq D) on the same property become one range;
    /// the other terms are bound as usual. Null if the conjunction has no such group.
    /// </summary>
    public Expression? TryRewriteConjunction(BinaryOperatorNode node, Func<SingleValueNode, Expression> bindTerm)
    {
        var terms = new List<SingleValueNode>();
        Flatten(node, terms);
        foreach (var yearTerm in terms)
        {
            if (yearTerm is not BinaryOperatorNode { OperatorKind: BinaryOperatorKind.Equal } equality
                || !TryMatch(equality, out var property, out _, out var unit, out var yearStart) || unit != Unit.Year
                || PartEquality(terms, "month", property) is not { Value: >= 1 and <= 12 } month)
            {
                continue;
            }

            var used = new HashSet<SingleValueNode> { yearTerm, month.Term };
            var start = new DateTimeOffset(yearStart.Year, month.Value, 1, 0, 0, 0, TimeSpan.Zero);
            var length = Unit.Month;
            if (PartEquality(terms, "day", property) is { } day && day.Value >= 1 && day.Value <= DateTime.DaysInMonth(start.Year, start.Month))
            {
                used.Add(day.Term);
                start = start.AddDays(day.Value - 1);
                length = Unit.Day;
            }

            var column = Nullable(bind(property));
            var range = Expression.AndAlso(AtLeast(column, start), Before(column, Next(start, length)));
            return terms.Where(term => !used.Contains(term)).Aggregate(range, (all, term) => Expression.AndAlso(all, bindTerm(term)));
        }

        return null;
    }

    private static void Flatten(SingleValueNode node, List<SingleValueNode> terms)
    {
        if (node is BinaryOperatorNode { OperatorKind: BinaryOperatorKind.And } and)
        {
            Flatten(and.Left, terms);
            Flatten(and.Right, terms);
        }
        else
        {
            terms.Add(node);
        }
    }

    private static (SingleValueNode Term, int Value)? PartEquality(List<SingleValueNode> terms, string function, SingleValuePropertyAccessNode property)
    {
        foreach (var term in terms)
        {
            if (term is BinaryOperatorNode { OperatorKind: BinaryOperatorKind.Equal } binary
                && (Part(binary.Left, binary.Right) ?? Part(binary.Right, binary.Left)) is { } match)
            {
                return match;
            }

            (SingleValueNode, int)? Part(SingleValueNode call, SingleValueNode literal) =>
                FunctionOn(call, function) is { } argument && argument.Property == property.Property && SameSource(argument, property)
                    && LiteralValues.IsLiteral(literal) && LiteralValues.ValueOf(literal) is int value
                    ? (term, value) : null;
        }

        return null;
    }

    private static bool TryMatch(BinaryOperatorNode node, out SingleValuePropertyAccessNode property, out BinaryOperatorKind kind, out Unit unit, out DateTimeOffset start)
    {
        property = null!;
        unit = Unit.Day;
        start = default;
        kind = node.OperatorKind;
        if (kind is not (BinaryOperatorKind.Equal or BinaryOperatorKind.NotEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual
            or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual))
        {
            return false;
        }

        var (call, literal) = LiteralValues.IsLiteral(node.Right) ? (node.Left, node.Right) : (node.Right, node.Left);
        if (!LiteralValues.IsLiteral(literal) || LiteralValues.IsLiteral(call))
        {
            return false;
        }

        if (call != node.Left)
        {
            kind = Mirror(kind);
        }

        var value = LiteralValues.ValueOf(literal);
        if (FunctionOn(call, "date") is { } dated && LiteralValues.MidnightUtc(value) is { } midnight && midnight.Year < 9999)
        {
            (property, unit, start) = (dated, Unit.Day, midnight);
            return true;
        }

        if (FunctionOn(call, "year") is { } yeared && value is int year and >= 1 and < 9999)
        {
            (property, unit, start) = (yeared, Unit.Year, new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero));
            return true;
        }

        return false;
    }

    /// <summary>The date-time property a one-argument function <paramref name="name"/> is applied to, if that is what the node is.</summary>
    private static SingleValuePropertyAccessNode? FunctionOn(SingleValueNode node, string name) => node switch
    {
        ConvertNode convert => FunctionOn(convert.Source, name),
        SingleValueFunctionCallNode call when call.Name.Equals(name, StringComparison.OrdinalIgnoreCase)
            && call.Parameters.ToList() is [SingleValueNode argument] => Property(argument),
        _ => null,
    };

    private static SingleValuePropertyAccessNode? Property(SingleValueNode node) => node switch
    {
        ConvertNode convert => Property(convert.Source),
        SingleValuePropertyAccessNode { Source: ResourceRangeVariableReferenceNode } property when DurationArithmetic.IsDateTimeOffset(property) => property,
        _ => null,
    };

    private static bool SameSource(SingleValuePropertyAccessNode first, SingleValuePropertyAccessNode second) =>
        first.Source is ResourceRangeVariableReferenceNode a && second.Source is ResourceRangeVariableReferenceNode b && a.Name == b.Name;

    private static BinaryOperatorKind Mirror(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThan,
        BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThanOrEqual,
        BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThan,
        BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThanOrEqual,
        _ => kind,
    };

    private static DateTimeOffset? Next(DateTimeOffset start, Unit unit) => unit switch
    {
        _ when start.Year == 9999 && (unit == Unit.Year || start.Month == 12) && (unit != Unit.Day || start.Day == 31) => null,
        Unit.Year => start.AddYears(1),
        Unit.Month => start.AddMonths(1),
        _ => start.AddDays(1),
    };

    private static Expression Nullable(Expression column) => column.Type == typeof(DateTimeOffset?) ? column : Expression.Convert(column, typeof(DateTimeOffset?));

    private static Expression AtLeast(Expression column, DateTimeOffset bound) => Expression.GreaterThanOrEqual(column, Bound(bound));

    /// <summary><c>column &lt; bound</c>; with no bound (the end of year 9999) any non-null value.</summary>
    private static Expression Before(Expression column, DateTimeOffset? bound) =>
        bound is { } value ? Expression.LessThan(column, Bound(value)) : Expression.NotEqual(column, Expression.Constant(null, typeof(DateTimeOffset?)));

    private static Expression AtLeast(Expression column, DateTimeOffset? bound) =>
        bound is { } value ? AtLeast(column, value) : Expression.Constant(false);

    /// <summary>OData: null is not equal to any value, so <c>date(p) ne D</c> holds where p is null.</summary>
    private static Expression OrNull(Expression column, Expression condition) =>
        Expression.OrElse(Expression.Equal(column, Expression.Constant(null, typeof(DateTimeOffset?))), condition);

    private static Expression Bound(DateTimeOffset value) => Expression.Convert(QueryParameter.Of(typeof(DateTimeOffset), value), typeof(DateTimeOffset?));
}
