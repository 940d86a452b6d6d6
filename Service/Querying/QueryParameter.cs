using System.Linq.Expressions;
using System.Runtime.CompilerServices;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// A value in a hand-built expression tree as a captured variable, so that EF Core sends it as a parameter (one cached
/// query and one prepared statement for every value; converted by the column's value converter, e.g. to rowversion).
/// </summary>
public static class QueryParameter
{
    public static MemberExpression Of(Type type, object value) =>
        Expression.Field(Expression.Constant(Activator.CreateInstance(typeof(StrongBox<>).MakeGenericType(type), value)), nameof(StrongBox<int>.Value));
}
