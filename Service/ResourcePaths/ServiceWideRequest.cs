using System.Globalization;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Protocol;
using IndustryData.OData.Service.Querying;

namespace IndustryData.OData.Service.ResourcePaths;

/// <summary>
/// A read of a collection that spans both entity sets (runs and the caller's subscriptions), which no entity set's
/// endpoint answers: $all (OData 4.01 URL Conventions §4.15 "Addressing All Entities in a Service", also cast to
/// microsoft.graph.entity or microsoft.graph.subscription) or $crossjoin(runs,subscriptions) (§4.14). Set by
/// <see cref="ResourcePathRewrite"/> and answered by <see cref="ServiceWideEndpoints"/> with the options parsed here:
/// $top, $skip, $count, $skiptoken, $format, $expand (on the cross join of its members, or *; on $all the no-op *, since
/// runs and subscriptions have no navigation properties). Options that would restrict
/// or order the union or the product ($filter, $orderby, $select, $search, …) are a 501 naming the combination.
/// </summary>
public sealed class ServiceWideRequest
{
    public const string AllPath = "/$all";
    public const string CrossJoinPath = "/$crossjoin";

    private static readonly string[] SystemOptions =
        ["top", "skip", "count", "skiptoken", "format", "expand", "filter", "orderby", "select", "search", "apply", "compute", "levels", "index", "schemaversion", "deltatoken", "id"];

    private ServiceWideRequest(string resource, bool isCrossJoin, IReadOnlyList<string> sets, bool countSegment, string originalPath, QueryString originalQuery)
    {
        Resource = resource;
        IsCrossJoin = isCrossJoin;
        Sets = sets;
        CountSegment = countSegment;
        OriginalPath = originalPath;
        OriginalQuery = originalQuery;
    }

    /// <summary>How the resource is named in messages: $all, $crossjoin(runs,subscriptions).</summary>
    public string Resource { get; }

    public bool IsCrossJoin { get; }

    /// <summary>$all: the sets it spans, in the order it lists them; $crossjoin: the joined sets as the URL names them.</summary>
    public IReadOnlyList<string> Sets { get; }

    /// <summary>…/$count: the number of items as text/plain.</summary>
    public bool CountSegment { get; }

    public string OriginalPath { get; }

    public QueryString OriginalQuery { get; }

    public int? Top { get; private set; }

    public int Skip { get; private set; }

    public bool Count { get; private set; }

    public string? SkipToken { get; private set; }

    /// <summary>The members of a cross join written inline ($expand), the others as navigation links.</summary>
    public IReadOnlySet<string> Expanded { get; private set; } = new HashSet<string>();

    public static ServiceWideRequest? Of(HttpContext context) =>
        context.Items.TryGetValue(typeof(ServiceWideRequest), out var value) ? value as ServiceWideRequest : null;

    /// <summary>$all over <paramref name="sets"/> (runs and subscriptions, or subscriptions alone): its options checked, the request routed to its endpoint.</summary>
    public static void All(HttpContext context, PathString serviceRoot, IReadOnlyList<string> sets, bool countSegment) =>
        Route(context, serviceRoot, AllPath, new ServiceWideRequest("$all", false, sets, countSegment, context.Request.Path.Value!, context.Request.QueryString));

    public static void CrossJoin(HttpContext context, PathString serviceRoot, IReadOnlyList<string> sets, bool countSegment) =>
        Route(context, serviceRoot, CrossJoinPath,
            new ServiceWideRequest($"$crossjoin({string.Join(',', sets)})", true, sets, countSegment, context.Request.Path.Value!, context.Request.QueryString));

    private static void Route(HttpContext context, PathString serviceRoot, string path, ServiceWideRequest request)
    {
        request.ReadOptions(context.Request.Query);
        context.Items[typeof(ServiceWideRequest)] = request;
        context.Request.Path = serviceRoot.Add(path);
    }

    /// <summary>Page size: Prefer: maxpagesize (up to $top's maximum) or the lists' default; and what $top leaves of it.</summary>
    public int PageSize(HttpRequest request)
    {
        var preferred = Preferences.MaxPageSize(request);
        var pageSize = preferred is { } size ? Math.Min(size, RunQueryOptions.MaxTop) : RunQuery.DefaultPageSize;
        return Top is { } top ? Math.Min(top, pageSize) : pageSize;
    }

    private void ReadOptions(IQueryCollection query)
    {
        RunQueryOptions.RejectRepeated(query);
        foreach (var (key, values) in query)
        {
            var name = key.TrimStart('$').ToLowerInvariant();
            var value = values.ToString();
            if (key.StartsWith('@') || (!key.StartsWith('$') && !SystemOptions.Contains(name)))
            {
                continue; // parameter aliases and custom options: nothing here uses them
            }

            if (!SystemOptions.Contains(name))
            {
                throw ApiException.BadRequest("unknownQueryOption", $"{key} is not an OData system query option. {Resource} takes $top, $skip, $count and $skiptoken.", key);
            }

            switch (name)
            {
                case "top":
                    Top = NonNegative(key, value);
                    if (Top > RunQueryOptions.MaxTop)
                    {
                        throw ApiException.BadRequest("topTooLarge",
                            $"$top={Top} is more than this service returns in one request; the maximum is {RunQueryOptions.MaxTop}. Use $top up to {RunQueryOptions.MaxTop} and follow @odata.nextLink.", key);
                    }

                    break;
                case "skip":
                    Skip = NonNegative(key, value);
                    break;
                case "count":
                    Count = value.ToLowerInvariant() switch
                    {
                        "true" => true,
                        "false" => false,
                        _ => throw ApiException.BadRequest("invalidQueryOption", $"{key}={value} is neither true nor false.", key),
                    };
                    break;
                case "skiptoken":
                    SkipToken = string.IsNullOrEmpty(value) ? throw Querying.SkipToken.Invalid() : value;
                    break;
                case "format":
                    break;
                case "expand" when IsCrossJoin:
                    Expanded = ExpandedSets(key, value);
                    break;
                case "expand" or "levels":
                    // Runs and subscriptions have no navigation properties: $expand=* (checked like on their own sets) changes nothing.
                    ExpandOption.Check(new QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { [key] = values }), EntityType);
                    break;
                default:
                    throw NotServed(key);
            }
        }
    }

    private static Microsoft.OData.Edm.IEdmStructuredType EntityType =>
        (Microsoft.OData.Edm.IEdmStructuredType)Model.Edm.IndustryDataEdm.Model.FindDeclaredType("microsoft.graph.entity");

    private HashSet<string> ExpandedSets(string key, string value)
    {
        var expanded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in value.Split(',').Select(item => item.Trim()))
        {
            if (item == "*")
            {
                expanded.UnionWith(Sets); // every member of the row
                continue;
            }

            if (item.Contains('(', StringComparison.Ordinal) && Sets.Contains(item[..item.IndexOf('(', StringComparison.Ordinal)]))
            {
                throw QueryNotImplemented.For($"nested options in $expand of {Resource}",
                    $"Expand the members whole ($expand={string.Join(',', Sets)}); to choose a run's properties use $crossjoin(runs)?$expand=runs($select=…)", key);
            }

            if (!Sets.Contains(item))
            {
                throw ApiException.BadRequest("invalidExpand",
                    $"$expand of {Resource} names its members, the joined entity sets: {string.Join(", ", Sets)} (e.g. $expand={string.Join(',', Sets)}). '{item}' is not one of them.", key);
            }

            expanded.Add(item);
        }

        return expanded;
    }

    private ApiException NotServed(string key)
    {
        if (IsCrossJoin)
        {
            return QueryNotImplemented.For($"{key} on {Resource}: restricting or ordering the product of runs and subscriptions is not evaluated",
                "Filter the runs with $crossjoin(runs)?$filter=runs/… (or runs?$filter=…) and pair them with GET subscriptions; "
                + $"{Resource} takes $top, $skip, $count, $skiptoken and $expand={string.Join(',', Sets)}", key);
        }

        var cast = Sets.Count == 1
            ? "subscriptions take no query options (GET subscriptions lists all of yours)"
            : $"cast $all to the runs' type to use it, e.g. $all/{Model.Edm.IndustryDataEdm.RunTypeName}?{key}=…, and read subscriptions separately";
        return QueryNotImplemented.For($"{key} on {Resource} (runs and subscriptions together)", $"{cast}; {Resource} takes $top, $skip, $count and $skiptoken", key);
    }

    private static int NonNegative(string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw ApiException.BadRequest("invalidQueryOption", $"{key}={value} is not a whole number of 0 or more.", key);
}
