using System.Linq.Expressions;

namespace IndustryData.OData.Service.Querying.Search;

/// <summary>The body of a one-parameter lambda over <c>Run</c>, with the parameter replaced by another run expression (of a derived type too).</summary>
internal sealed class ParameterRebinder(ParameterExpression from, Expression to) : ExpressionVisitor
{
    public static Expression Rebind(LambdaExpression lambda, Expression run) =>
        new ParameterRebinder(lambda.Parameters[0], run).Visit(lambda.Body);

    protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);

    protected override Expression VisitMember(MemberExpression node)
    {
        // candidate.Id declared on Run: the same member on the derived type's expression.
        if (node.Expression == from)
        {
            return Expression.MakeMemberAccess(to, node.Member);
        }

        return base.VisitMember(node);
    }
}
