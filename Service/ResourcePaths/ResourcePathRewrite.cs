using System.Text.RegularExpressions;
using IndustryData.OData.Model.Edm;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Querying;
using Microsoft.Net.Http.Headers;

namespace IndustryData.OData.Service.ResourcePaths;

/// <summary>
/// Resource paths of OData URL Conventions §4 that address runs without naming the set the usual way, answered by the
/// runs endpoints they are equivalent to (same authorization, query, indexes and cursors). Before routing:
/// <list type="bullet">
/// <item>/$filter(…) segments (4.01, §4.12): joined to $filter (<see cref="FilterSegments"/>);</item>
/// <item>$entity?$id=runs('…') and $entity/{cast}?$id=… (§4.13 / Protocol §11.2.7 "Resolving an Entity-Id"): the run
/// (or subscriptions('…'): the caller's subscription);</item>
/// <item>$all/{run type or a derived type} (§4.14): runs, written as Collection(Edm.EntityType) (<see cref="VirtualCollection"/>);
/// $all itself (runs and the caller's subscriptions) has its own endpoint (<see cref="ServiceWideRequest"/>);</item>
/// <item>$crossjoin(runs) (§4.15): runs, written as rows of Collection(Edm.ComplexType); properties in $filter and
/// $orderby are named through the set (runs/status), $expand=runs inlines the run (<see cref="CrossJoinExpand"/>);
/// $crossjoin(runs,subscriptions) has its own endpoint (<see cref="ServiceWideRequest"/>).</item>
/// </list>
/// </summary>
public sealed partial class ResourcePathRewrite(RequestDelegate next, PathString serviceRoot)
{
    private const string Set = "runs";
    private const string Subscriptions = "subscriptions";
    private const string EntityTypeName = "microsoft.graph.entity";
    private const string SubscriptionTypeName = "microsoft.graph.subscription";

    private static readonly string[] AllOptions = ["select", "expand", "filter", "orderby", "top", "skip", "count", "skiptoken", "search", "format"];
    private static readonly string[] CrossJoinOptions = ["filter", "orderby", "top", "skip", "count", "skiptoken", "format", "expand"];

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments(serviceRoot, out var rest) || rest.Value is not { Length: > 1 } path)
        {
            return next(context);
        }

        if (FilterSegments.Has(path))
        {
            var (withoutSegments, expressions) = FilterSegments.Take(path);
            var filterKey = QueryText.KeyOf(request.Query, "filter");
            if (filterKey is not null && request.Query[filterKey].Count > 1)
            {
                // Repeated $filter: left for the query's own 400.
                return next(context);
            }

            var pairs = QueryText.Pairs(request.Query).Where(pair => pair.Key != filterKey).ToList();
            pairs.Add(new(filterKey ?? "$filter", FilterSegments.Combine(expressions, filterKey is null ? null : request.Query[filterKey].ToString())));
            request.QueryString = QueryText.Build(pairs);
            path = withoutSegments;
            request.Path = serviceRoot.Add(path);
        }

        if (IsSegment(path, "/$entity"))
        {
            ResolveEntityId(request, path["/$entity".Length..]);
        }
        else if (IsSegment(path, "/$all"))
        {
            All(context, path["/$all".Length..]);
        }
        else if (path.StartsWith("/$crossjoin(", StringComparison.Ordinal))
        {
            CrossJoin(context, path);
        }

        return next(context);
    }

    private static bool IsSegment(string path, string segment) =>
        path.StartsWith(segment, StringComparison.Ordinal) && (path.Length == segment.Length || path[segment.Length] == '/');

    private static void OnlyReads(HttpRequest request, string resource)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            throw new ApiException(StatusCodes.Status405MethodNotAllowed, "methodNotAllowed",
                $"{resource} can only be read (GET). Write a run through its own URL, runs('…').")
            {
                Headers = { [HeaderNames.Allow] = "GET, HEAD" },
            };
        }
    }

    /// <summary>$entity?$id=…: the entity-id must be a run's (relative to the service root, or absolute under it).</summary>
    private void ResolveEntityId(HttpRequest request, string cast)
    {
        OnlyReads(request, "$entity");
        var idKey = QueryText.KeyOf(request.Query, "id");
        if (idKey is null || request.Query[idKey].Count != 1 || string.IsNullOrWhiteSpace(request.Query[idKey]))
        {
            throw ApiException.BadRequest("missingEntityId",
                "$entity resolves an entity-id given once in $id, e.g. $entity?$id=runs('…') (the @odata.id or OData-EntityId of a run).", "$id");
        }

        var id = request.Query[idKey].ToString();
        var root = $"{request.Scheme}://{request.Host}{request.PathBase}{serviceRoot}".TrimEnd('/') + "/";
        if (Uri.TryCreate(id, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            id = Uri.UnescapeDataString(absolute.AbsoluteUri).StartsWith(root, StringComparison.OrdinalIgnoreCase)
                ? Uri.UnescapeDataString(absolute.AbsoluteUri)[root.Length..]
                : throw NotAnEntityId(id);
        }

        var match = EntityId().Match(id.TrimStart('/'));
        if (!match.Success)
        {
            throw NotAnEntityId(id);
        }

        var key = match.Groups["quoted"].Success ? match.Groups["quoted"].Value : match.Groups["segment"].Value.Replace("'", "''", StringComparison.Ordinal);
        request.Path = serviceRoot.Add($"/{match.Groups["set"].Value}('{key}'){cast}");
        request.QueryString = QueryText.Build(QueryText.Pairs(request.Query).Where(pair => pair.Key != idKey));
    }

    private static ApiException NotAnEntityId(string id) => ApiException.BadRequest("invalidEntityId",
        $"$id '{id}' is not the entity-id of a run or subscription of this service. Send it as the service returns it in @odata.id or OData-EntityId, e.g. runs('…').", "$id");

    /// <summary>$all, $all/{cast}, …/$count: the runs list (this service's only entity set), in $all's shape.</summary>
    private void All(HttpContext context, string rest)
    {
        var request = context.Request;
        OnlyReads(request, "$all");
        var original = request.Path.Value!;
        var originalQuery = request.QueryString;
        var segments = rest.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (segments.Count == 0 || segments[0] is "$count" or EntityTypeName or SubscriptionTypeName)
        {
            // The union of runs and the caller's subscriptions (or, cast to subscription, those alone): its own endpoint.
            var sets = segments.FirstOrDefault() == SubscriptionTypeName ? new[] { Subscriptions } : [Set, Subscriptions];
            var countSegment = segments.LastOrDefault() == "$count";
            if (segments.Count > (segments.FirstOrDefault() is EntityTypeName or SubscriptionTypeName ? 1 : 0) + (countSegment ? 1 : 0))
            {
                throw ApiException.NotFound($"'{original.TrimStart('/')}' is not a resource of this service. $all is followed by a type cast, /$count, or both.");
            }

            ServiceWideRequest.All(context, serviceRoot, sets, countSegment);
            return;
        }

        RejectOptions(request, "$all", AllOptions);
        if (segments[0] == IndustryDataEdm.RunTypeName)
        {
            // Every run is a run: the cast restricts $all to runs and nothing more.
            segments.RemoveAt(0);
        }

        request.Path = serviceRoot.Add("/" + string.Join('/', [Set, .. segments]));
        if (segments.LastOrDefault() != "$count")
        {
            VirtualCollection.All(context, original, originalQuery);
        }
    }

    private void CrossJoin(HttpContext context, string path)
    {
        var request = context.Request;
        OnlyReads(request, "$crossjoin");
        var match = CrossJoinPath().Match(path);
        if (!match.Success)
        {
            throw ApiException.NotFound($"'{path.TrimStart('/')}' is not a resource of this service. A cross join is addressed as $crossjoin(runs) or $crossjoin(runs,subscriptions), optionally followed by /$count.");
        }

        var sets = match.Groups["sets"].Value.Split(',').Select(set => set.Trim()).ToList();
        foreach (var set in sets.Where(set => set is not Set and not Subscriptions))
        {
            throw ApiException.NotFound($"$crossjoin names '{set}', which is not an entity set of this service. Its entity sets are runs and subscriptions.");
        }

        if (sets.Count != sets.Distinct(StringComparer.Ordinal).Count())
        {
            throw ApiException.BadRequest("duplicateEntitySet",
                "$crossjoin lists an entity set more than once. Each joined entity set becomes a member of the row named after it, so each may be listed once: $crossjoin(runs) or $crossjoin(runs,subscriptions).", "$crossjoin");
        }

        if (sets.Contains(Subscriptions))
        {
            ServiceWideRequest.CrossJoin(context, serviceRoot, sets, match.Groups["count"].Length > 0);
            return;
        }

        RejectOptions(request, "$crossjoin(runs)", CrossJoinOptions);
        var original = request.Path.Value!;
        var originalQuery = request.QueryString;
        var expand = CrossJoinExpand.None;
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in QueryText.Pairs(request.Query))
        {
            if (QueryText.IsOption(key, "expand"))
            {
                expand = CrossJoinExpand.Parse(value);
                if (expand.Select is { } select)
                {
                    pairs.Add(new("$select", select));
                }

                continue;
            }

            var unprefixed = QueryText.IsOption(key, "filter", "orderby") ? CrossJoinExpression.Unprefix(value, Set, "$" + key.TrimStart('$'))
                : key.StartsWith('@') ? CrossJoinExpression.Unprefix(value, Set, key)
                : value;
            pairs.Add(new(key, unprefixed));
        }

        request.Path = serviceRoot.Add("/" + Set + match.Groups["count"].Value);
        request.QueryString = QueryText.Build(pairs);
        if (!match.Groups["count"].Success || match.Groups["count"].Length == 0)
        {
            VirtualCollection.CrossJoin(context, expand, original, originalQuery);
        }
    }

    private static void RejectOptions(HttpRequest request, string resource, string[] allowed)
    {
        foreach (var key in request.Query.Keys)
        {
            if (key.StartsWith('@') || allowed.Contains(key.TrimStart('$'), StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var name = key.TrimStart('$');
            if (ExpandOption.IsLevels(key))
            {
                throw ExpandOption.LevelsOutsideExpand(key);
            }

            if (name.Equals("select", StringComparison.OrdinalIgnoreCase))
            {
                throw QueryNotImplemented.For($"$select on {resource}", "Use $expand=runs($select=…) to choose the properties of each run", "$select");
            }

            if (key.StartsWith('$') || name is "apply" or "compute" or "search")
            {
                throw QueryNotImplemented.For($"{key} on {resource}", $"Use it on runs directly; {resource} takes {string.Join(", ", allowed.Select(option => "$" + option))}", key);
            }
        }
    }

    [GeneratedRegex(@"^(?<set>runs|subscriptions)(?:\((?:id=)?'(?<quoted>(?:[^']|'')*)'\)|/(?<segment>[^/()]+))$", RegexOptions.CultureInvariant)]
    private static partial Regex EntityId();

    [GeneratedRegex(@"^/\$crossjoin\((?<sets>[^()/]*)\)(?<count>/\$count)?$", RegexOptions.CultureInvariant)]
    private static partial Regex CrossJoinPath();
}
