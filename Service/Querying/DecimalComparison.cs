using System.Linq.Expressions;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// Comparisons of Edm.Decimal values (results of divby, fractionalseconds, totalseconds, ceiling…) as
/// <c>CompareDecimal(a, b) op 0</c>: SQLite keeps decimals as text, where 3 and 3.0 differ and '10' sorts before '9';
/// EF Core's ef_compare compares them as numbers. No column is decimal, so no index is lost.
/// </summary>
public static class DecimalComparison
{
    public static bool Handles(BinaryOperatorNode node) =>
        node.OperatorKind is BinaryOperatorKind.Equal or BinaryOperatorKind.NotEqual or BinaryOperatorKind.GreaterThan
            or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual
        && (IsDecimal(node.Left) || IsDecimal(node.Right))
        && !IsNull(node.Left) && !IsNull(node.Right);

    public static Expression Bind(BinaryOperatorNode node, Func<QueryNode, Expression> bind)
    {
        var comparison = Expression.Call(typeof(ODataFunctions).GetMethod(nameof(ODataFunctions.CompareDecimal))!, Operand(node.Left, bind), Operand(node.Right, bind));
        var zero = Expression.Constant(0, typeof(int?));
        return node.OperatorKind switch
        {
            BinaryOperatorKind.Equal => Expression.Equal(comparison, zero),
            BinaryOperatorKind.NotEqual => Expression.NotEqual(comparison, zero),
            BinaryOperatorKind.GreaterThan => Expression.GreaterThan(comparison, zero),
            BinaryOperatorKind.GreaterThanOrEqual => Expression.GreaterThanOrEqual(comparison, zero),
            BinaryOperatorKind.LessThan => Expression.LessThan(comparison, zero),
            _ => Expression.LessThanOrEqual(comparison, zero),
        };
    }

    /// <summary>x eq null stays a null test (CompareDecimal would be null, and null eq 0 is false).</summary>
    private static bool IsNull(SingleValueNode node) => LiteralValues.IsLiteral(node) && LiteralValues.ValueOf(node) is null;

    private static bool IsDecimal(SingleValueNode node) => node.TypeReference?.PrimitiveKind() == EdmPrimitiveTypeKind.Decimal;

    private static Expression Operand(SingleValueNode node, Func<QueryNode, Expression> bind)
    {
        var value = bind(node);
        return value.Type == typeof(decimal?) ? value : Expression.Convert(value, typeof(decimal?));
    }
}
