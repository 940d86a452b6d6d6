using IndustryData.OData.Model.Edm;
using IndustryData.OData.Service.Errors;
using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.AspNetCore.OData.Query.Validator;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// The query options of a request, parsed and checked against what this service supports (contract §4):
/// supported options are parsed eagerly so a malformed one is a 400 naming the option; options the service does
/// not implement are a 501; limits are a 400.
/// </summary>
public sealed partial class RunQueryOptions
{
    public const int MaxTop = 1000;

    private static readonly string[] NotImplemented = ["$apply", "$deltatoken", "$schemaversion", "$index"];
    private static readonly string[] Supported = ["$filter", "$select", "$compute", ExpandOption.Option, "$orderby", "$top", "$skip", "$count", "$format", Querying.Search.SearchSyntax.Option, Querying.SkipToken.Option];

    /// <summary>Bounds on query complexity (contract §7 hardening): filter size and number of sort keys.</summary>
    private static readonly ODataValidationSettings Limits = new()
    {
        MaxNodeCount = 100,
        MaxOrderByNodeCount = 5,
        MaxTop = MaxTop,
        MaxExpansionDepth = 0,
        MaxAnyAllExpressionDepth = 1,
    };

    private RunQueryOptions(ODataQueryOptions options) => Options = options;

    public ODataQueryOptions Options { get; }

    public FilterQueryOption? Filter => Options.Filter;

    public OrderByQueryOption? OrderBy => Options.OrderBy;

    /// <summary>The $select clause the serializer can write: paths into statistics stop at the top-level member (<see cref="SelectedJsonMembers"/>).</summary>
    public SelectExpandClause? Select { get; private init; }

    /// <summary>What $select takes from inside statistics members, applied to the runs read.</summary>
    public SelectedJsonMembers SelectedStatistics { get; private init; } = null!;

    /// <summary>The properties $compute defines, bound; null without $compute.</summary>
    public ComputedProperties? Computed { get; private init; }

    public int? Top { get; private init; }

    public int Skip { get; private init; }

    public bool Count { get; private init; }

    /// <summary>The parsed $search, or null (<see cref="Querying.Search.SearchPredicate"/>).</summary>
    public Querying.Search.SearchNode? Search { get; private init; }

    /// <summary>The cursor of a next link, as sent; read against <see cref="Order"/> and <see cref="Identity"/>.</summary>
    public string? SkipToken { get; private init; }

    public SortOrder Order { get; private set; } = null!;

    /// <summary>What a cursor belongs to: the set (or type cast) and the $filter and $orderby that shape the walk.</summary>
    public string Identity => $"{Options.Context.ElementClrType.FullName}\n{Options.RawValues.Filter}\n{Options.RawValues.OrderBy}\n{Options.RawValues.Compute}{Aliases}{(Search is null ? string.Empty : $"\n$search={Search}")}";

    /// <summary>The parameter aliases, which are part of what $filter and $orderby mean.</summary>
    private string Aliases => string.Concat(Options.Request.Query.Where(pair => pair.Key.StartsWith('@')).OrderBy(pair => pair.Key, StringComparer.Ordinal)
        .Select(pair => $"\n{pair.Key}={pair.Value}"));

    public static RunQueryOptions Parse(HttpRequest request, Type elementClrType)
    {
        ODataUriFunctionSignatures.EnsureRegistered();
        RejectRepeated(request.Query);
        foreach (var key in request.Query.Keys)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                // ODataQueryOptions throws ArgumentException (a 500) on a parameter without a name, e.g. '?=x' or '&=x'.
                throw ApiException.BadRequest("invalidQueryOption",
                    "The query string has a parameter without a name (as in '?=value'). Remove it, or give it a name such as $filter.", "query");
            }

            var name = key.StartsWith('$') ? key : "$" + key;
            if (ExpandOption.IsLevels(key))
            {
                throw ExpandOption.LevelsOutsideExpand(key);
            }

            if (NotImplemented.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw new ApiException(StatusCodes.Status501NotImplemented, "queryOptionNotSupported",
                    $"The query option {key} is not supported by this service. Supported: {string.Join(", ", Supported)}.", key);
            }

            if (name.Equals(Querying.SkipToken.Option, StringComparison.OrdinalIgnoreCase) && string.IsNullOrEmpty(request.Query[key]))
            {
                // ODataQueryOptions throws ArgumentException (a 500) on an empty $skiptoken.
                throw Querying.SkipToken.Invalid();
            }

            if (key.StartsWith('$') && !Supported.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                throw ApiException.BadRequest("unknownQueryOption",
                    $"{key} is not an OData system query option. Supported: {string.Join(", ", Supported)}.", key);
            }
        }

        var feature = request.ODataFeature();
        var context = new ODataQueryContext(IndustryDataEdm.Model, elementClrType, feature.Path);
        ExpandOption.Check(request.Query, (IEdmStructuredType)context.ElementType);
        var options = ParseAs401(request, context);
        var computed = ComputedProperties.Bind(Checked("$compute", () => options.Compute?.ComputeClause), (Microsoft.OData.Edm.IEdmStructuredType)context.ElementType, elementClrType, RunQuery.Settings);
        if (computed is not null && options.Filter is not null)
        {
            // The binder reads a computed alias in $filter as its expression (QueryBinderContext.ComputedProperties).
            options.Filter.Compute = options.Compute;
        }

        var selected = SelectedJsonMembers.Of(Checked("$select", () => options.SelectExpand?.SelectExpandClause));
        return new RunQueryOptions(options)
        {
            Computed = computed,
            Select = selected.Clause,
            SelectedStatistics = selected,
            Top = Checked("$top", () => ParseTop(options)),
            Skip = Checked("$skip", () => options.Skip?.Value ?? 0),
            Count = Checked("$count", () => options.Count?.Value ?? false),
            SkipToken = options.RawValues.SkipToken,
            Search = SearchOf(request.Query),
        }.Validated();
    }

    /// <summary>
    /// The options as the URI parser reads them, after rewriting 4.01 expression syntax it does not know
    /// (<see cref="ODataSyntax401"/>) in $filter, $orderby and parameter aliases, and without $expand (checked already,
    /// it changes nothing: <see cref="ExpandOption"/>). The request keeps the client's text (next links repeat it); the
    /// parser gets the rewritten query string.
    /// </summary>
    private static ODataQueryOptions ParseAs401(HttpRequest request, ODataQueryContext context)
    {
        var rewritten = new List<KeyValuePair<string, string?>>();
        var changed = false;
        foreach (var (key, values) in request.Query)
        {
            if (ExpandOption.Is(key))
            {
                changed = true;
                continue;
            }

            var name = key.TrimStart('$');
            var isExpression = name.Equals("filter", StringComparison.OrdinalIgnoreCase) || name.Equals("orderby", StringComparison.OrdinalIgnoreCase)
                || name.Equals("compute", StringComparison.OrdinalIgnoreCase) || key.StartsWith('@');
            foreach (var value in values)
            {
                var text = value ?? string.Empty;
                if (isExpression)
                {
                    if (ODataSyntax401.UnreadableConstruct(text) is { } construct)
                    {
                        throw QueryNotImplemented.For($"the {construct} function (OData 4.01)", "Express the condition with and/or/not and comparisons instead",
                            key.StartsWith('@') ? key : "$" + name.ToLowerInvariant());
                    }

                    var syntax40 = ODataSyntax401.Rewrite(text);
                    changed |= syntax40 != text;
                    text = syntax40;
                }

                rewritten.Add(new(key, text));
            }
        }

        if (!changed)
        {
            return new ODataQueryOptions(context, request);
        }

        var original = request.QueryString;
        request.QueryString = QueryString.Create(rewritten);
        try
        {
            return new ODataQueryOptions(context, request);
        }
        finally
        {
            request.QueryString = original;
        }
    }

    /// <summary>
    /// A system query option may be given only once (OData URL Conventions §5); names compare as the OData parser
    /// reads them, so $top and $TOP, or top and $top, are the same option. The stock parser would join the values.
    /// </summary>
    public static void RejectRepeated(IQueryCollection query)
    {
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, values) in query)
        {
            var name = key.StartsWith('$') ? key : "$" + key;
            if (Supported.Contains(name, StringComparer.OrdinalIgnoreCase) || NotImplemented.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                counts[name] = counts.GetValueOrDefault(name) + values.Count;
            }
        }

        foreach (var (name, count) in counts)
        {
            if (count > 1)
            {
                var option = name.ToLowerInvariant();
                throw ApiException.BadRequest("duplicateQueryOption",
                    $"{option} is given {count} times; a system query option may be given only once. Send it once, with everything in one value (e.g. $orderby=displayName,status or $filter=a and b).",
                    option);
            }
        }
    }

    private RunQueryOptions Validated()
    {
        if (Checked("$filter", () => Filter?.FilterClause) is { } filter && IsNullCondition(filter.Expression))
        {
            // The binder turns a null condition into a cast of null to bool, which throws (a 500) when EF evaluates it.
            throw ApiException.BadRequest("invalidQueryOption",
                "$filter uses null where a condition is expected (as in '$filter=null' or 'x and null'). Compare with null instead, e.g. endDateTime eq null.",
                "$filter");
        }

        Checked("$filter", () => Bounded(() => Filter?.Validate(Limits),
            $"$filter is too complex: it has more than {Limits.MaxNodeCount} operators and operands. Simplify it or split the query into several requests."));
        var orderBy = Checked("$orderby", () => OrderBy?.OrderByClause);
        if (OrderBy?.OrderByNodes.Count > Limits.MaxOrderByNodeCount)
        {
            throw ApiException.BadRequest("queryTooComplex", $"$orderby has {OrderBy.OrderByNodes.Count} sort keys; sort by at most {Limits.MaxOrderByNodeCount} properties.", "$orderby");
        }

        orderBy = WithAliasesResolved(orderBy);
        for (var clause = orderBy; clause is not null; clause = clause.ThenBy)
        {
            if (ComputedKey(clause.Expression) is not null)
            {
                continue;
            }

            if (clause.Expression is not (SingleValuePropertyAccessNode or SingleValueOpenPropertyAccessNode or SingleComplexNode or ParameterAliasNode))
            {
                throw QueryNotImplemented.For($"a sort key that is an expression ({clause.Expression.Kind})",
                    "Sort by properties: id, displayName, startDateTime, endDateTime, status (each asc or desc); filter with the expression instead", "$orderby");
            }

            if (JsonMemberSortKey.MemberPath(clause.Expression) is not null)
            {
                continue;
            }

            if (clause.Expression is SingleValueOpenPropertyAccessNode || JsonMemberBinder.IsJsonValue(clause.Expression))
            {
                throw QueryNotImplemented.For("a sort key inside blockingError, or a member of statistics read through a type cast",
                    "Sort by id, displayName, startDateTime, endDateTime, status or a member of statistics (e.g. statistics/recordsSent desc)", "$orderby");
            }

            if (clause.Expression is not SingleValuePropertyAccessNode { Property.Type: var type } property || !(type.IsPrimitive() || type.IsEnum()))
            {
                throw ApiException.BadRequest("unsortableProperty",
                    "$orderby accepts id, displayName, startDateTime, endDateTime, status and members of statistics (statistics/recordsSent); statistics and blockingError themselves are not sortable.", "$orderby");
            }

            if (CastTarget(property.Source) is { } cast && !cast.IsOrInheritsFrom(Options.Context.ElementType))
            {
                // The binder would build ($it as T).p for a T the set cannot hold, which fails (500) instead of sorting.
                throw ApiException.BadRequest("unsortableProperty",
                    $"$orderby casts to {cast.FullTypeName()}, which no run in this set can be. Sort on the property itself: every property is declared on run.", "$orderby");
            }
        }

        if (SkipToken is not null && Skip > 0)
        {
            throw ApiException.BadRequest("invalidQueryOption",
                "$skip cannot be combined with $skiptoken: the cursor already says where the page starts. Follow @odata.nextLink exactly as the service returned it.", "$skip");
        }

        Order = SortOrder.For(orderBy, Options.Context.ElementClrType, Computed);
        return this;
    }

    /// <summary>
    /// <c>$orderby=@p&amp;@p=displayName</c>: a parameter alias stands for the expression it is given (URL Conventions
    /// §5.1.1.13.2); the parser leaves alias nodes in $orderby, so each is parsed here and put in its place.
    /// </summary>
    private OrderByClause? WithAliasesResolved(OrderByClause? clause)
    {
        if (clause is null)
        {
            return null;
        }

        var thenBy = WithAliasesResolved(clause.ThenBy);
        if (clause.Expression is not ParameterAliasNode alias)
        {
            return ReferenceEquals(thenBy, clause.ThenBy) ? clause : new OrderByClause(thenBy, clause.Expression, clause.Direction, clause.RangeVariable);
        }

        var text = Options.Request.Query[alias.Alias].ToString();
        if (string.IsNullOrWhiteSpace(text))
        {
            throw ApiException.BadRequest("invalidQueryOption", $"$orderby uses the parameter alias {alias.Alias}, which the query does not give a value (add &{alias.Alias}=displayName, for example).", "$orderby");
        }

        var parser = new ODataQueryOptionParser(IndustryDataEdm.Model, Options.Context.ElementType, Options.Context.NavigationSource,
            new Dictionary<string, string> { ["$orderby"] = ODataSyntax401.Rewrite(text) })
        {
            Resolver = new ODataUriResolver { EnableCaseInsensitive = true },
        };
        var value = Checked(alias.Alias, parser.ParseOrderBy);
        return new OrderByClause(thenBy, value.Expression, clause.Direction, clause.RangeVariable);
    }

    /// <summary>The computed property a sort key names (<c>$compute=length(displayName) as n&amp;$orderby=n</c>), or null.</summary>
    private ComputedProperty? ComputedKey(SingleValueNode key) =>
        key is SingleValueOpenPropertyAccessNode { Source: ResourceRangeVariableReferenceNode } open ? Computed?.Find(open.Name) : null;

    private static Querying.Search.SearchNode? SearchOf(IQueryCollection query) =>
        query.FirstOrDefault(pair => pair.Key.TrimStart('$').Equals("search", StringComparison.OrdinalIgnoreCase)).Value is { Count: > 0 } value
            ? Querying.Search.SearchSyntax.Parse(value.ToString())
            : null;

    private static bool IsNullCondition(SingleValueNode node) => node switch
    {
        ConstantNode { Value: null } => true,
        ConvertNode convert => IsNullCondition(convert.Source),
        UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Not } not => IsNullCondition(not.Operand),
        BinaryOperatorNode { OperatorKind: BinaryOperatorKind.And or BinaryOperatorKind.Or } logical => IsNullCondition(logical.Left) || IsNullCondition(logical.Right),
        _ => false,
    };

    private static IEdmType? CastTarget(SingleValueNode source) => source switch
    {
        SingleResourceCastNode cast => cast.StructuredTypeReference.Definition,
        SingleResourceFunctionCallNode { Name: "cast" } call when call.Parameters.Last() is ConstantNode { Value: string name } => IndustryDataEdm.Model.FindType(name),
        _ => null,
    };

    private static bool Bounded(Action validate, string message)
    {
        try
        {
            validate();
            return true;
        }
        catch (ODataException exception) when (exception.Message.Contains("node count", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiException.BadRequest("queryTooComplex", message, "$filter");
        }
    }

    private static int? ParseTop(ODataQueryOptions options)
    {
        var top = options.Top?.Value;
        if (top > MaxTop)
        {
            throw ApiException.BadRequest("topTooLarge", $"$top={top} is more than this service returns in one request; the maximum is {MaxTop}. Use $top up to {MaxTop} and follow @odata.nextLink.", "$top");
        }

        return top;
    }

    private static T Checked<T>(string option, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (ODataException exception) when (exception.Message.Contains("incompatible types", StringComparison.Ordinal) && exception.Message.Contains("Edm.Duration", StringComparison.Ordinal))
        {
            // The URI parser rejects valid 4.01 forms it has no signature for: a duration multiplied or divided, or
            // compared with a duration written as a plain string ('PT1H').
            throw QueryNotImplemented.For("a duration in a form the parser does not support (multiplied or divided, or written as a string such as 'PT1H')",
                "Write durations as duration'PT1H' or PT1H, and compare with the multiplied value (e.g. endDateTime sub startDateTime eq duration'PT2H')", option);
        }
        catch (ODataException exception) when (DurationLiteralInList().IsMatch(exception.Message))
        {
            // The parser types an in list of durations by the wrong operand: valid syntax it cannot read.
            throw QueryNotImplemented.For("a list of durations after in", "Compare with each duration and join the comparisons with or", option);
        }
        catch (ODataException exception) when (exception.Message.StartsWith("Could not find a property named", StringComparison.Ordinal))
        {
            throw ApiException.BadRequest("invalidQueryOption",
                $"{option} is invalid: {exception.Message} If it is meant to be a computed property, define it in $compute of the same request (e.g. $compute=length(displayName) as n&$select=n).",
                option);
        }
        catch (ODataException exception)
        {
            throw ApiException.BadRequest("invalidQueryOption", $"{option} is invalid: {exception.Message}", option);
        }
        catch (ArgumentOutOfRangeException exception)
        {
            throw ApiException.BadRequest("invalidQueryOption", $"{option} is out of range: {exception.Message}", option);
        }
        catch (ArgumentException exception) when (option == "$compute")
        {
            // The parser throws ArgumentNullException (a 500) for a compute item without a name after 'as'.
            throw ApiException.BadRequest("invalidQueryOption",
                $"$compute is invalid: {exception.Message} Write each item as 'expression as name', e.g. $compute=length(displayName) as n.", option);
        }
        catch (InvalidCastException)
        {
            // The OData URI parser casts instead of validating in places, e.g. $select=displayName($select=x).
            throw ApiException.BadRequest("invalidQueryOption",
                $"{option} is invalid: part of it does not apply where it is used (for example nested options such as displayName($select=...) on a property that is not complex). Check it against $metadata.",
                option);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"Cannot convert the literal '(duration)?'?-?P[0-9]*(D|T[0-9])")]
    private static partial System.Text.RegularExpressions.Regex DurationLiteralInList();
}
