using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Runs;
using Microsoft.OData;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// Recognises the list's most common request — the first page of every run, or of the runs with one status, in the
/// default order — which <see cref="Storage.SqliteRunReads"/> answers with a prepared statement. Anything else (another
/// option, an alias, a cursor, a type cast, any other filter) takes the general path.
/// </summary>
public static class DirectFirstPage
{
    private static readonly HashSet<string> Allowed = new(StringComparer.OrdinalIgnoreCase) { "top", "filter", "select", "count" };

    /// <summary>The shape of a first page this class recognises: all runs (Status null) or those with Status.</summary>
    public readonly record struct Shape(RunStatus? Status);

    public static Shape? Of<T>(HttpRequest request, RunQueryOptions options)
    {
        if (typeof(T) != typeof(Run) || options.Skip != 0 || options.SkipToken is not null || options.OrderBy is not null)
        {
            return null;
        }

        foreach (var key in request.Query.Keys)
        {
            if (!Allowed.Contains(key.StartsWith('$') ? key[1..] : key))
            {
                return null;
            }
        }

        if (options.Filter is null)
        {
            return new Shape(null);
        }

        return StatusEquals(options.Filter.FilterClause.Expression) is { } status ? new Shape(status) : null;
    }

    /// <summary>status eq 'member' (either side), nothing else.</summary>
    private static RunStatus? StatusEquals(SingleValueNode node)
    {
        if (node is not BinaryOperatorNode { OperatorKind: BinaryOperatorKind.Equal } equal)
        {
            return null;
        }

        var (property, constant) = (Unwrap(equal.Left), Unwrap(equal.Right)) switch
        {
            (SingleValuePropertyAccessNode p, ConstantNode c) => (p, c),
            (ConstantNode c, SingleValuePropertyAccessNode p) => (p, c),
            _ => (null, null),
        };
        if (property is not { Property.Name: "status", Source: ResourceRangeVariableReferenceNode } || constant is null)
        {
            return null;
        }

        var text = constant.Value switch
        {
            ODataEnumValue value => value.Value,
            string value => value,
            _ => null,
        };
        return text is null ? null : RunStatusNames.ParseMemberName(text);
    }

    private static SingleValueNode Unwrap(SingleValueNode node) => node is ConvertNode convert ? Unwrap(convert.Source) : node;
}
