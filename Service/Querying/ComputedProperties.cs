using System.Linq.Expressions;
using IndustryData.OData.Model.Edm;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Errors;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.AspNetCore.OData.Query.Expressions;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// The properties a request defines with <c>$compute</c> (URL Conventions §5.1.3), bound by the same binder as $filter
/// (<see cref="RunFilterBinder"/>), so every canonical function, arithmetic and cast means here what it means there. The
/// values are a projection next to the run in the page's SQL (<see cref="Project{T}"/>); they are kept for the response
/// beside the runs they belong to, never on them.
/// </summary>
public sealed class ComputedProperties
{
    private readonly Dictionary<Run, object?[]> values = new(ReferenceEqualityComparer.Instance);

    private ComputedProperties(ComputeClause clause, IReadOnlyList<ComputedProperty> items)
    {
        Clause = clause;
        Items = items;
    }

    public ComputeClause Clause { get; }

    public IReadOnlyList<ComputedProperty> Items { get; }

    /// <summary>The $compute of a request, checked (aliases unique and distinct from declared properties) and bound; null without $compute.</summary>
    public static ComputedProperties? Bind(ComputeClause? clause, IEdmStructuredType elementType, Type elementClrType, ODataQuerySettings settings)
    {
        if (clause is null || !clause.ComputedItems.Any())
        {
            return null;
        }

        var declared = DeclaredNames(elementType);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in clause.ComputedItems)
        {
            if (declared.Contains(item.Alias))
            {
                throw ApiException.BadRequest("invalidQueryOption",
                    $"$compute names a computed property '{item.Alias}', which is a property of run. Choose another name, e.g. '... as {item.Alias}Computed', and use that name in $select, $filter and $orderby.",
                    "$compute");
            }

            if (!seen.Add(item.Alias))
            {
                throw ApiException.BadRequest("invalidQueryOption",
                    $"$compute defines '{item.Alias}' more than once. Give each computed property its own name (e.g. '$compute=year(startDateTime) as y,month(startDateTime) as m').",
                    "$compute");
            }
        }

        var binder = new RunFilterBinder();
        var items = new List<ComputedProperty>();
        foreach (var item in clause.ComputedItems)
        {
            var context = new QueryBinderContext(IndustryDataEdm.Model, settings, elementClrType);
            Expression body;
            try
            {
                body = binder.Bind(item.Expression, context);
            }
            catch (Exception exception) when (exception is NotImplementedException or NotSupportedException)
            {
                throw QueryNotImplemented.For($"an expression the OData binder cannot bind (for '{item.Alias}')", RunQuery.NotEvaluated, "$compute");
            }
            catch (ApiException refused) when (refused.Target is null or "$filter")
            {
                // The binder's refusals name $filter, where it usually runs; here the expression came from $compute.
                throw new ApiException(refused.Status, refused.InnerCode, refused.Message.Replace("$filter", "$compute", StringComparison.Ordinal), "$compute");
            }

            items.Add(new ComputedProperty(item.Alias, item.TypeReference, Expression.Lambda(body, context.CurrentParameter)));
        }

        return new ComputedProperties(clause, items);
    }

    public ComputedProperty? Find(string name) => Items.FirstOrDefault(item => item.Alias == name);

    public int IndexOf(ComputedProperty property) => Items.ToList().IndexOf(property);

    /// <summary>The computed properties of the request being answered, for its serializer; null without $compute.</summary>
    public static ComputedProperties? Of(HttpRequest? request) => request?.HttpContext.Items[typeof(ComputedProperties)] as ComputedProperties;

    public static void AttachTo(HttpRequest request, ComputedProperties? computed)
    {
        if (computed is not null)
        {
            request.HttpContext.Items[typeof(ComputedProperties)] = computed;
        }
    }

    /// <summary>The computed values of <paramref name="run"/>, in the order of <see cref="Items"/>; null if the run was not read with them.</summary>
    public object?[]? ValuesOf(Run run) => values.GetValueOrDefault(run);

    /// <summary>Reads <paramref name="query"/> with every computed value evaluated by the database next to its run.</summary>
    public async Task<List<T>> ReadAsync<T>(IQueryable<T> query, CancellationToken cancellationToken)
        where T : Run
    {
        var rows = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(Project(query), cancellationToken);
        foreach (var row in rows)
        {
            values[row.Run] = row.Values;
        }

        return [.. rows.Select(row => row.Run)];
    }

    /// <summary><c>query.Select(run =&gt; new ComputedRow { Run = run, Values = new object[] { v1(run), v2(run), … } })</c>.</summary>
    public IQueryable<ComputedRow<T>> Project<T>(IQueryable<T> query)
        where T : Run
    {
        var run = Expression.Parameter(typeof(T), "run");
        var computed = Items.Select(item => (Expression)Expression.Convert(item.Access(run), typeof(object)));
        var row = Expression.MemberInit(Expression.New(typeof(ComputedRow<T>)),
            Expression.Bind(typeof(ComputedRow<T>).GetProperty(nameof(ComputedRow<T>.Run))!, run),
            Expression.Bind(typeof(ComputedRow<T>).GetProperty(nameof(ComputedRow<T>.Values))!, Expression.NewArrayInit(typeof(object), computed)));
        return query.Select(Expression.Lambda<Func<T, ComputedRow<T>>>(row, run));
    }

    /// <summary>Every structural property name of run and its derived types (a computed property must differ from all, in any case).</summary>
    private static HashSet<string> DeclaredNames(IEdmStructuredType elementType)
    {
        var names = new HashSet<string>(elementType.StructuralProperties().Select(property => property.Name), StringComparer.OrdinalIgnoreCase);
        foreach (var derived in IndustryDataEdm.Model.FindAllDerivedTypes(elementType))
        {
            names.UnionWith(((IEdmStructuredType)derived).StructuralProperties().Select(property => property.Name));
        }

        var root = elementType;
        while (root.BaseType is { } baseType)
        {
            root = baseType;
        }

        names.UnionWith(root.StructuralProperties().Select(property => property.Name));
        return names;
    }
}

/// <summary>One computed property: its alias, its EDM type (null where the parser cannot tell it) and its value as an expression over a run.</summary>
public sealed record ComputedProperty(string Alias, IEdmTypeReference? Type, LambdaExpression Value)
{
    /// <summary>The value over <paramref name="run"/>, typed so that it can be null (a computed value is null where an argument is).</summary>
    public Expression Access(ParameterExpression run)
    {
        var body = new ParameterReplacer(Value.Parameters[0], Value.Parameters[0].Type == run.Type ? run : Expression.Convert(run, Value.Parameters[0].Type)).Visit(Value.Body);
        return body.Type.IsValueType && Nullable.GetUnderlyingType(body.Type) is null
            ? Expression.Convert(body, typeof(Nullable<>).MakeGenericType(body.Type))
            : body;
    }

    private sealed class ParameterReplacer(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}

/// <summary>A run with its computed values, as the database returns them (<see cref="ComputedProperties.Project{T}"/>).</summary>
public sealed class ComputedRow<T>
    where T : Run
{
    public T Run { get; set; } = null!;

    public object?[] Values { get; set; } = [];
}
