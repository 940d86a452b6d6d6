using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// SQL Server's JSON_VALUE cannot tell a string from a number ('5' and 5 both read as N'5') and truncates past 4000
/// characters, so the typed member reads of <see cref="JsonMemberAccess"/> become OPENJSON subqueries before EF Core
/// translates the query: <c>(SELECT TOP(1) [value] FROM OPENJSON(json, parent) WHERE [key] = name AND [type] = 2)</c>.
/// OPENJSON's key column compares in a binary collation, so member names match exactly, as in JSON.
/// </summary>
public sealed class SqlServerJsonMembers : IQueryExpressionInterceptor
{
    /// <summary>One instance for every context: EF Core builds an internal service provider per distinct interceptor set.</summary>
    public static SqlServerJsonMembers Instance { get; } = new();

    private SqlServerJsonMembers()
    {
    }

    private static readonly Expression<Func<string?, string, string, double?>> NumberRead = (json, parent, name) =>
        JsonMemberAccess.Elements(json, parent).Where(e => e.Key == name && e.Type == JsonMemberAccess.NumberType).Select(e => JsonMemberAccess.ToNumber(e.Value)).FirstOrDefault();

    private static readonly Expression<Func<string?, string, string, string?>> TextRead = (json, parent, name) =>
        JsonMemberAccess.Elements(json, parent).Where(e => e.Key == name && e.Type == JsonMemberAccess.StringType).Select(e => e.Value).FirstOrDefault();

    private static readonly Expression<Func<string?, string, string, bool?>> BooleanRead = (json, parent, name) =>
        JsonMemberAccess.Elements(json, parent).Where(e => e.Key == name && e.Type == JsonMemberAccess.BooleanType).Select(e => (bool?)(e.Value == "true")).FirstOrDefault();

    /// <summary>OPENJSON's type (and for booleans the value) as <see cref="JsonMemberAccess.SortClass"/>'s class; 0 when missing.</summary>
    private static readonly Expression<Func<string?, string, string, int>> ClassRead = (json, parent, name) =>
        JsonMemberAccess.Elements(json, parent).Where(e => e.Key == name)
            .Select(e => e.Type == JsonMemberAccess.BooleanType ? (e.Value == "true" ? 2 : 1) : e.Type == JsonMemberAccess.NumberType ? 3 : e.Type == JsonMemberAccess.StringType ? 4 : e.Type > JsonMemberAccess.BooleanType ? 5 : 0)
            .FirstOrDefault();

    /// <summary>A string member in a binary collation: strings sort by code point whatever the database's collation.</summary>
    private static readonly Expression<Func<string?, string, string, string?>> SortTextRead = (json, parent, name) =>
        JsonMemberAccess.BinaryCollated(JsonMemberAccess.Elements(json, parent).Where(e => e.Key == name && e.Type == JsonMemberAccess.StringType).Select(e => e.Value).FirstOrDefault());

    private static readonly Expression<Func<string?, string, string, bool>> NullRead = (json, parent, name) =>
        !JsonMemberAccess.Elements(json, parent).Any(e => e.Key == name && e.Type != JsonMemberAccess.NullType);

    public Expression QueryCompilationStarting(Expression queryExpression, QueryExpressionEventData eventData) => new Rewriter().Visit(queryExpression);

    private sealed class Rewriter : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method.DeclaringType != typeof(JsonMemberAccess))
            {
                return base.VisitMethodCall(node);
            }

            LambdaExpression? read = node.Method.Name switch
            {
                nameof(JsonMemberAccess.Number) or nameof(JsonMemberAccess.SortNumber) => NumberRead,
                nameof(JsonMemberAccess.SortClass) => ClassRead,
                nameof(JsonMemberAccess.SortText) => SortTextRead,
                nameof(JsonMemberAccess.Text) => TextRead,
                nameof(JsonMemberAccess.Boolean) => BooleanRead,
                nameof(JsonMemberAccess.IsNull) => NullRead,
                _ => null,
            };
            if (read is null)
            {
                return base.VisitMethodCall(node);
            }

            var arguments = node.Arguments.Select(Visit).ToList();
            return new Substitution(read.Parameters, arguments!).Visit(read.Body);
        }
    }

    private sealed class Substitution(IReadOnlyList<ParameterExpression> parameters, IReadOnlyList<Expression> values) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node)
        {
            var index = parameters.ToList().IndexOf(node);
            return index >= 0 ? values[index] : node;
        }
    }
}
