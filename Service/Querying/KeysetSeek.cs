using System.Linq.Expressions;
using IndustryData.OData.Model.Runs;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// The rows after a cursor in a <see cref="SortOrder"/>, compared column by column (<see cref="SortOrder.Columns"/>), as predicates an index can serve: the first key is bounded
/// (<c>k1 &gt;= v1</c>, so the database seeks instead of scanning from the start), then
/// <c>k1 &gt; v1 or (k1 = v1 and (k2 &gt; v2 or ...))</c>. Nulls order as OData says: before every value ascending,
/// after every value descending. When the first key is nullable and the rest of the walk crosses between nulls and
/// values, the rows come as two segments read one after the other, each a seek on the same index.
/// </summary>
public static class KeysetSeek
{
    public static IReadOnlyList<Expression<Func<T, bool>>> Segments<T>(SortOrder order, IReadOnlyList<object?> cursor)
        where T : Run
    {
        var run = Expression.Parameter(typeof(T), "run");
        var keys = order.Columns;
        cursor = [.. order.Keys.SelectMany((key, i) => key.ColumnValues(cursor[i]))];
        var first = keys[0];
        var value = cursor[0];
        var access = first.Access(run);
        if (keys.Count == 1)
        {
            // Ordered by id alone: unique and never null.
            return [Expression.Lambda<Func<T, bool>>(Compare(access, first.Descending ? ExpressionType.LessThan : ExpressionType.GreaterThan, value!, first), run)];
        }

        var rest = After(run, keys, cursor, 1);
        List<Expression> segments;
        if (value is null)
        {
            // Ascending: the nulls after the cursor, then every value. Descending: nulls come last, so only they are left.
            var inNulls = Expression.AndAlso(IsNull(access, first), rest);
            segments = first.Descending ? [inNulls] : [inNulls, Expression.Not(IsNull(access, first))];
        }
        else
        {
            var bound = Compare(access, first.Descending ? ExpressionType.LessThanOrEqual : ExpressionType.GreaterThanOrEqual, value, first);
            var within = Expression.AndAlso(bound, Expression.OrElse(
                Compare(access, first.Descending ? ExpressionType.LessThan : ExpressionType.GreaterThan, value, first),
                Expression.AndAlso(Compare(access, ExpressionType.Equal, value, first), rest)));
            segments = first.Descending && first.IsNullable ? [within, IsNull(access, first)] : [within];
        }

        return [.. segments.Select(body => Expression.Lambda<Func<T, bool>>(body, run))];
    }

    /// <summary>Rows strictly after the cursor on keys[i..]: <c>ki after vi or (ki = vi and keys[i+1..] after)</c>.</summary>
    private static Expression After(ParameterExpression run, IReadOnlyList<SortColumn> keys, IReadOnlyList<object?> cursor, int i)
    {
        var key = keys[i];
        var access = key.Access(run);
        var value = cursor[i];
        var strictlyAfter = (value, key.Descending) switch
        {
            (null, false) => Expression.Not(IsNull(access, key)),
            (null, true) => Expression.Constant(false),
            (_, false) => Compare(access, ExpressionType.GreaterThan, value, key),
            (_, true) => key.IsNullable
                ? Expression.OrElse(Compare(access, ExpressionType.LessThan, value, key), IsNull(access, key))
                : Compare(access, ExpressionType.LessThan, value, key),
        };
        if (i == keys.Count - 1)
        {
            return strictlyAfter;
        }

        var equal = value is null ? IsNull(access, key) : Compare(access, ExpressionType.Equal, value, key);
        return Expression.OrElse(strictlyAfter, Expression.AndAlso(equal, After(run, keys, cursor, i + 1)));
    }

    private static BinaryExpression IsNull(Expression access, SortColumn key) => Expression.Equal(access, Expression.Constant(null, key.ValueType));

    /// <summary><paramref name="access"/> compared with a non-null value, sent as a <see cref="QueryParameter"/>.</summary>
    private static Expression Compare(Expression access, ExpressionType comparison, object value, SortColumn column)
    {
        if (column.Operand is { } operand)
        {
            return Expression.MakeBinary(comparison, access, Expression.Convert(operand(value), access.Type));
        }

        var type = Nullable.GetUnderlyingType(access.Type) ?? access.Type;
        if (type == typeof(string))
        {
            // string has no < operator; EF translates string.Compare(a, b) op 0 to a op b in SQL.
            var compare = Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, access, QueryParameter.Of(typeof(string), value));
            return Expression.MakeBinary(comparison, compare, Expression.Constant(0));
        }

        if (type.IsEnum)
        {
            // Enums are stored as their member values and have no operators in expression trees: compare the numbers.
            var number = Nullable.GetUnderlyingType(access.Type) is null ? typeof(int) : typeof(int?);
            return Expression.MakeBinary(comparison, Expression.Convert(access, number),
                Expression.Convert(QueryParameter.Of(typeof(int), Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)), number));
        }

        return Expression.MakeBinary(comparison, access, Expression.Convert(QueryParameter.Of(type, value), access.Type));
    }
}
