using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Query;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// Keeps EF Core from running <see cref="JsonMemberAccess"/> markers in .NET when their arguments are all parameters
/// (a cursor's JSON number in <c>ToNumber(@p)</c>): the database must convert it as it converts the stored member.
/// </summary>
public sealed class JsonMembersNotEvaluated : IEvaluatableExpressionFilterPlugin
{
    public bool IsEvaluatableExpression(Expression expression) =>
        expression is not MethodCallExpression call || call.Method.DeclaringType != typeof(JsonMemberAccess);
}
