using System.Linq.Expressions;
using IndustryData.OData.Model.Edm;
using IndustryData.OData.Model.Errors;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Querying;
using IndustryData.OData.Service.Querying.Search;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.AspNetCore.OData.Query.Expressions;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Runs;

/// <summary>
/// $filter, $search (on code and message, <see cref="SearchInMemory"/>), $orderby, $skip, $top, $count and $select (and
/// $expand=*, which changes nothing) on a run's collection of publicErrorDetail values
/// (blockingError/details, OData URL Conventions §5 on a collection-valued property). The collection belongs to one run,
/// so it is filtered in memory with OData's own binders, on the values as stored. Any other query option does not
/// apply to it (400), or is not implemented here as on runs (501).
/// </summary>
public sealed class DetailsQuery
{
    private static readonly string[] Applicable = ["$filter", "$search", "$orderby", "$top", "$skip", "$count", "$select", ExpandOption.Option, "$format"];
    private static readonly string[] NotImplemented = ["$apply", "$compute", "$skiptoken", "$deltatoken", "$index", "$schemaversion"];

    private static readonly ODataQuerySettings Settings = new() { HandleNullPropagation = HandleNullPropagationOption.True };
    private static readonly IEdmComplexType DetailType = (IEdmComplexType)IndustryDataEdm.Model.FindType("microsoft.graph.publicErrorDetail");

    private FilterClause? filter;
    private SearchNode? search;
    private OrderByClause? orderBy;
    private long? top;
    private long? skip;
    private IQueryCollection? aliases;

    public bool Count { get; private set; }

    /// <summary>The selected properties, in $select's order; null for all.</summary>
    public IReadOnlyList<string>? Selected { get; private set; }

    public static DetailsQuery Parse(IQueryCollection query)
    {
        RunQueryOptions.RejectRepeated(query);
        ExpandOption.Check(query, DetailType);
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in query)
        {
            var name = "$" + key.TrimStart('$').ToLowerInvariant();
            if (NotImplemented.Contains(name))
            {
                throw new ApiException(StatusCodes.Status501NotImplemented, "queryOptionNotSupported",
                    $"{key} is not supported on blockingError/details. Supported there: {string.Join(", ", Applicable)}.", key);
            }

            if (!Applicable.Contains(name))
            {
                throw ApiException.BadRequest(key.StartsWith('$') ? "unknownQueryOption" : "queryOptionNotApplicable",
                    $"{key} does not apply to blockingError/details. Supported there: {string.Join(", ", Applicable)}.", key);
            }

            if (name is not "$format" and not ExpandOption.Option and not SearchSyntax.Option)
            {
                options[name] = values.ToString();
            }
        }

        var searchText = query.FirstOrDefault(pair => "$" + pair.Key.TrimStart('$').ToLowerInvariant() == SearchSyntax.Option).Value.ToString();

        var parser = new ODataQueryOptionParser(IndustryDataEdm.Model, DetailType, null, options);
        var result = new DetailsQuery
        {
            aliases = query,
            filter = Checked("$filter", parser.ParseFilter),
            search = string.IsNullOrEmpty(searchText) ? null : SearchSyntax.Parse(searchText),
            orderBy = Checked("$orderby", parser.ParseOrderBy),
            top = Checked("$top", parser.ParseTop),
            skip = Checked("$skip", parser.ParseSkip),
            Count = Checked("$count", parser.ParseCount) ?? false,
            Selected = Checked("$select", () => SelectedNames(parser.ParseSelectAndExpand())),
        };
        return result.top < 0 || result.skip < 0
            ? throw ApiException.BadRequest("invalidQueryOption", "$top and $skip must be zero or more.", result.top < 0 ? "$top" : "$skip")
            : result;
    }

    /// <summary>
    /// The options nested in <c>$select=blockingError/details(…)</c> (4.01 Advanced): $filter, $orderby, $top, $skip and
    /// $count, already parsed with the $select they are in. $select inside is left to the serializer.
    /// </summary>
    public static DetailsQuery Nested(PathSelectItem item, IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new DetailsQuery
        {
            filter = item.FilterOption, search = item.SearchOption is { } nested ? SearchInMemory.From(nested.Expression) : null, orderBy = item.OrderByOption, top = item.TopOption, skip = item.SkipOption, Count = item.CountOption ?? false, aliases = query,
        };
    }

    /// <summary>The details that pass $filter and $search (for @odata.count and /$count).</summary>
    public IReadOnlyList<PublicErrorDetail> Filtered(IEnumerable<PublicErrorDetail> details)
    {
        var source = details.AsQueryable();
        if (filter is not null)
        {
            source = (IQueryable<PublicErrorDetail>)new AliasFilterBinder(aliases).ApplyBind(source, filter, new QueryBinderContext(IndustryDataEdm.Model, Settings, typeof(PublicErrorDetail)));
        }

        return search is null ? [.. source] : [.. source.AsEnumerable().Where(detail => SearchInMemory.Matches(search, [detail.Code, detail.Message]))];
    }

    /// <summary>The filtered details in $orderby's order, then $skip and $top.</summary>
    public IReadOnlyList<PublicErrorDetail> Page(IReadOnlyList<PublicErrorDetail> filtered)
    {
        IQueryable<PublicErrorDetail> source = filtered.AsQueryable();
        if (orderBy is not null)
        {
            source = (IQueryable<PublicErrorDetail>)new OrderByBinder().ApplyBind(source, orderBy, new QueryBinderContext(IndustryDataEdm.Model, Settings, typeof(PublicErrorDetail)), alreadyOrdered: false);
        }

        var paged = source.AsEnumerable().Skip((int)Math.Min(skip ?? 0, int.MaxValue));
        return [.. top is { } take ? paged.Take((int)Math.Min(take, int.MaxValue)) : paged];
    }

    /// <summary>The stock binder, with parameter aliases (<c>code eq @c&amp;@c='x'</c>) standing for their literal values.</summary>
    private sealed class AliasFilterBinder(IQueryCollection? aliases) : FilterBinder
    {
        public override Expression BindSingleValueNode(SingleValueNode node, QueryBinderContext context)
        {
            if (node is not ParameterAliasNode alias)
            {
                return base.BindSingleValueNode(node, context);
            }

            var text = aliases?[alias.Alias].ToString();
            if (string.IsNullOrEmpty(text))
            {
                throw ApiException.BadRequest("invalidQueryOption", $"The filter on blockingError/details uses the parameter alias {alias.Alias}, which the query does not give a value (add &{alias.Alias}='x', for example).", "$filter");
            }

            var value = Checked(alias.Alias, () => ODataUriUtils.ConvertFromUriLiteral(text, ODataVersion.V4, IndustryDataEdm.Model, null));
            return value is null or ODataNullValue ? Expression.Constant(null) : Expression.Constant(value);
        }
    }

    private static IReadOnlyList<string>? SelectedNames(SelectExpandClause? clause)
    {
        if (clause is null || clause.AllSelected)
        {
            return null;
        }

        var names = new List<string>();
        foreach (var item in clause.SelectedItems)
        {
            if (item is WildcardSelectItem)
            {
                return null;
            }

            if (item is not PathSelectItem { SelectedPath.LastSegment: PropertySegment property } || item is PathSelectItem { SelectAndExpand.AllSelected: false })
            {
                throw ApiException.BadRequest("invalidQueryOption", "$select on blockingError/details takes code, message and target (e.g. $select=code,target).", "$select");
            }

            names.Add(property.Property.Name);
        }

        return names;
    }

    private static T Checked<T>(string option, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (ODataException exception)
        {
            throw ApiException.BadRequest("invalidQueryOption", $"{option} is invalid on blockingError/details: {exception.Message}", option);
        }
    }
}
