using System.Linq.Expressions;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// Comparisons of Edm.Date and Edm.TimeOfDay values (results of date() and time(), and literals) as DateOnly and
/// TimeOnly, which both providers compare in SQL, also in <c>in</c> lists; the stock binder converts them through methods EF Core cannot translate.
/// </summary>
public static class DateAndTimeComparison
{
    public static bool Handles(BinaryOperatorNode node) =>
        node.OperatorKind is BinaryOperatorKind.Equal or BinaryOperatorKind.NotEqual or BinaryOperatorKind.GreaterThan
            or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual
        && (IsDateOrTime(node.Left) || IsDateOrTime(node.Right));

    public static Expression Bind(BinaryOperatorNode node, Func<QueryNode, Expression> bind)
    {
        var type = IsDate(node.Left) || IsDate(node.Right) ? typeof(DateOnly?) : typeof(TimeOnly?);
        var left = Operand(node.Left, type, bind);
        var right = Operand(node.Right, type, bind);
        return node.OperatorKind switch
        {
            BinaryOperatorKind.Equal => Expression.Equal(left, right),
            BinaryOperatorKind.NotEqual => Expression.NotEqual(left, right),
            BinaryOperatorKind.GreaterThan => Expression.GreaterThan(left, right),
            BinaryOperatorKind.GreaterThanOrEqual => Expression.GreaterThanOrEqual(left, right),
            BinaryOperatorKind.LessThan => Expression.LessThan(left, right),
            _ => Expression.LessThanOrEqual(left, right),
        };
    }

    /// <summary><c>date(x) in (2026-01-01, 2026-01-02)</c>: one equality per item.</summary>
    public static bool Handles(InNode node) => node.Left is { } left && IsDateOrTime(left) && node.Right is CollectionConstantNode;

    public static Expression BindIn(InNode node, Func<QueryNode, Expression> bind)
    {
        var type = IsDate(node.Left) ? typeof(DateOnly?) : typeof(TimeOnly?);
        var left = Operand(node.Left, type, bind);
        return ((CollectionConstantNode)node.Right).Collection
            .Select(item => (Expression)Expression.Equal(left, Operand(item, type, bind)))
            .DefaultIfEmpty(Expression.Constant(false))
            .Aggregate(Expression.OrElse);
    }

    private static bool IsDate(SingleValueNode node) => node.TypeReference?.IsDate() == true;

    private static bool IsDateOrTime(SingleValueNode node) => IsDate(node) || node.TypeReference?.IsTimeOfDay() == true;

    private static Expression Operand(SingleValueNode node, Type type, Func<QueryNode, Expression> bind)
    {
        if (!LiteralValues.IsLiteral(node))
        {
            var value = bind(node);
            return value.Type == type ? value : Expression.Convert(value, type);
        }

#pragma warning disable CS0618 // ODL 8 still parses Edm.Date and Edm.TimeOfDay literals into these types.
        object? literal = LiteralValues.ValueOf(node) switch
        {
            Date date => new DateOnly(date.Year, date.Month, date.Day),
            TimeOfDay time => new TimeOnly(time.Ticks),
            var other => other,
        };
#pragma warning restore CS0618
        return literal is null ? Expression.Constant(null, type) : Expression.Convert(QueryParameter.Of(literal.GetType(), literal), type);
    }
}
