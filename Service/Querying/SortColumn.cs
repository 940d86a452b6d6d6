using System.Linq.Expressions;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// One expression the database orders a list by; a <see cref="SortKey"/> is one or more of them. <see cref="KeysetSeek"/>
/// compares the same expression with the cursor's value, so a page starts exactly where the order says.
/// </summary>
/// <param name="access">The expression over a run.</param>
/// <param name="valueType">Its CLR type.</param>
/// <param name="isNullable">Whether some run can have null here (nulls sort first ascending, last descending).</param>
/// <param name="descending">The direction.</param>
/// <param name="operand">A cursor value as the SQL operand compared with the expression; null for a parameter of <paramref name="valueType"/>.</param>
public sealed class SortColumn(Func<ParameterExpression, Expression> access, Type valueType, bool isNullable, bool descending, Func<object, Expression>? operand = null)
{
    public Type ValueType { get; } = valueType;

    public bool IsNullable { get; } = isNullable;

    public bool Descending { get; } = descending;

    /// <summary>How a cursor value is sent, when not as a plain parameter (e.g. a JSON number as its text, converted by the database).</summary>
    public Func<object, Expression>? Operand { get; } = operand;

    public Expression Access(ParameterExpression run) => access(run);
}
