using System.Linq.Expressions;
using IndustryData.OData.Service.Errors;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// Date-time and duration arithmetic (OData URL Conventions §5.1.1.2: DateTimeOffset ± Duration, Duration ± Duration,
/// DateTimeOffset − DateTimeOffset, −Duration, Duration × / ÷ integer) and comparisons of durations. A duration is
/// bound as a count of ticks (long?), which both databases add and compare exactly; date-times stay DateTimeOffset?.
/// </summary>
public sealed class DurationArithmetic(Func<QueryNode, Expression> bind)
{
    private static readonly Type Ticks = typeof(long?);

    public static bool IsDuration(SingleValueNode? node) => node?.TypeReference?.IsDuration() == true;

    public static bool IsDateTimeOffset(SingleValueNode? node) => node?.TypeReference?.IsDateTimeOffset() == true;

    /// <summary>Whether this service binds the node here rather than through the stock binder.</summary>
    public static bool Handles(BinaryOperatorNode node) => node.OperatorKind switch
    {
        BinaryOperatorKind.Equal or BinaryOperatorKind.NotEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual
            or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual => IsDuration(node.Left) || IsDuration(node.Right),
        BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide or BinaryOperatorKind.Modulo =>
            IsDuration(node) || IsDuration(node.Left) || IsDuration(node.Right) || IsDateTimeOffset(node.Left) || IsDateTimeOffset(node.Right),
        _ => false,
    };

    public Expression Bind(BinaryOperatorNode node)
    {
        if (IsDuration(node) || node.TypeReference?.IsBoolean() == true)
        {
            return node.TypeReference?.IsBoolean() == true ? Compare(node.OperatorKind, TicksOf(node.Left), TicksOf(node.Right)) : TicksOf(node);
        }

        if (IsDateTimeOffset(node) && node.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract && IsDateTimeOffset(node.Left) && IsDuration(node.Right))
        {
            var ticks = TicksOf(node.Right);
            return Call(nameof(ODataFunctions.AddTicks), DateTimeOf(node.Left), node.OperatorKind == BinaryOperatorKind.Add ? ticks : Expression.Negate(ticks));
        }

        throw Unsupported(node);
    }

    /// <summary>A duration-typed expression as ticks.</summary>
    public Expression TicksOf(SingleValueNode node)
    {
        switch (node)
        {
            case ConstantNode { Value: null }:
                return Expression.Constant(null, Ticks);
            case ConstantNode { Value: TimeSpan duration }:
                return QueryParameter.Of(Ticks, duration.Ticks);
            case ConvertNode convert when IsDuration(convert.Source) || convert.Source is ConstantNode { Value: null }:
                return TicksOf(convert.Source);
            case UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Negate } negate:
                return Expression.Negate(TicksOf(negate.Operand));
            case BinaryOperatorNode { OperatorKind: BinaryOperatorKind.Subtract } difference when IsDateTimeOffset(difference.Left) && IsDateTimeOffset(difference.Right):
                return Call(nameof(ODataFunctions.TicksBetween), DateTimeOf(difference.Left), DateTimeOf(difference.Right));
            case BinaryOperatorNode { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } sum when IsDuration(sum.Left) && IsDuration(sum.Right):
                return sum.OperatorKind == BinaryOperatorKind.Add
                    ? Expression.Add(TicksOf(sum.Left), TicksOf(sum.Right))
                    : Expression.Subtract(TicksOf(sum.Left), TicksOf(sum.Right));
            case BinaryOperatorNode { OperatorKind: BinaryOperatorKind.Multiply } product when IsDuration(product.Left) && IsInteger(product.Right):
                return Expression.Multiply(TicksOf(product.Left), Integer(product.Right));
            case BinaryOperatorNode { OperatorKind: BinaryOperatorKind.Multiply } product when IsInteger(product.Left) && IsDuration(product.Right):
                return Expression.Multiply(Integer(product.Left), TicksOf(product.Right));
            case BinaryOperatorNode { OperatorKind: BinaryOperatorKind.Divide } quotient when IsDuration(quotient.Left) && IsInteger(quotient.Right):
                if (LiteralValues.IsLiteral(quotient.Right) && Convert.ToInt64(LiteralValues.ValueOf(quotient.Right), System.Globalization.CultureInfo.InvariantCulture) == 0)
                {
                    throw ApiException.BadRequest("invalidQueryOption", "$filter divides a duration by zero. Fix the expression.", "$filter");
                }

                return Expression.Divide(TicksOf(quotient.Left), Integer(quotient.Right));
            case SingleValueFunctionCallNode or SingleValuePropertyAccessNode or ParameterAliasNode:
                throw QueryNotImplemented.For($"a duration from {Describe(node)}", "Durations can be literals (duration'PT1H'), differences of two date-times, and sums, negations and integer multiples of those");
            default:
                throw Unsupported(node);
        }
    }

    /// <summary>A date-time-typed expression as DateTimeOffset? (the stock binder for properties and literals).</summary>
    public Expression DateTimeOf(SingleValueNode node)
    {
        var expression = bind(node);
        return expression.Type == typeof(DateTimeOffset?) ? expression : Expression.Convert(expression, typeof(DateTimeOffset?));
    }

    private static Expression Compare(BinaryOperatorKind kind, Expression left, Expression right) => kind switch
    {
        BinaryOperatorKind.Equal => Expression.Equal(left, right),
        BinaryOperatorKind.NotEqual => Expression.NotEqual(left, right),
        BinaryOperatorKind.GreaterThan => Expression.GreaterThan(left, right),
        BinaryOperatorKind.GreaterThanOrEqual => Expression.GreaterThanOrEqual(left, right),
        BinaryOperatorKind.LessThan => Expression.LessThan(left, right),
        _ => Expression.LessThanOrEqual(left, right),
    };

    private static bool IsInteger(SingleValueNode node) =>
        node.TypeReference?.PrimitiveKind() is EdmPrimitiveTypeKind.Int32 or EdmPrimitiveTypeKind.Int64 or EdmPrimitiveTypeKind.Int16 or EdmPrimitiveTypeKind.Byte or EdmPrimitiveTypeKind.SByte;

    private Expression Integer(SingleValueNode node) => Expression.Convert(bind(node), Ticks);

    private static MethodCallExpression Call(string name, params Expression[] arguments) =>
        Expression.Call(typeof(ODataFunctions).GetMethod(name, [.. arguments.Select(argument => argument.Type)])!, arguments);

    private static string Describe(SingleValueNode node) => node switch
    {
        SingleValueFunctionCallNode call => $"the function {call.Name}",
        SingleValuePropertyAccessNode property => $"the property {property.Property.Name}",
        _ => "a parameter alias",
    };

    private static ApiException Unsupported(SingleValueNode node) => QueryNotImplemented.For(
        $"arithmetic on {node.TypeReference?.FullName() ?? "null"} values in this combination ({node.Kind})",
        "Supported: date-time add/sub duration, date-time sub date-time, duration add/sub duration, duration mul/div an integer, and comparisons of those");
}
