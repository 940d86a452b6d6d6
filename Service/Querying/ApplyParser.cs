using IndustryData.OData.Model.Edm;
using IndustryData.OData.Service.Errors;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;
using Microsoft.OData.UriParser.Aggregation;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// Reads $apply (OData Data Aggregation Extension 4.0 §3) into <see cref="ApplyStep"/>s. The sequence is split at its
/// top-level slashes here; aggregate, groupby, filter and compute are bound by the OData URI parser
/// (<c>ODataQueryOptionParser.ParseApply</c>), which also binds the aliases earlier steps introduce. orderby, top and
/// skip, which that parser does not know, are read here (orderby's keys bound by the parser's $orderby against the
/// steps before it). Valid transformations this service does not evaluate are a 501 naming them; text that is not a
/// transformation is a 400 that says what is supported.
/// </summary>
public static class ApplyParser
{
    public const string Option = "$apply";
    public const int MaxSteps = 12;

    /// <summary>What works, in the order $metadata lists it (Aggregation.ApplySupported/Transformations).</summary>
    public static readonly string[] Supported = ["aggregate", "groupby", "filter", "compute", "orderby", "top", "skip", "identity"];

    private static readonly string[] NotEvaluated =
    [
        "topcount", "topsum", "toppercent", "bottomcount", "bottomsum", "bottompercent", "concat", "nest", "addnested",
        "join", "outerjoin", "expand", "ancestors", "descendants", "traverse", "search",
    ];

    private static readonly string[] BoundByParser = ["aggregate", "groupby", "filter", "compute"];

    public sealed record Parsed(IReadOnlyList<ApplyStep> Steps, string BoundPrefix);

    /// <summary>The steps of <paramref name="apply"/> over the set of <paramref name="elementType"/>.</summary>
    public static Parsed Parse(string apply, IEdmStructuredType elementType, IEdmNavigationSource set, IReadOnlyDictionary<string, string> aliases)
    {
        if (string.IsNullOrWhiteSpace(apply))
        {
            throw Invalid("$apply is empty. Give a transformation sequence, e.g. $apply=groupby((status),aggregate($count as n)).");
        }

        var texts = Split(apply.Trim(), '/', "$apply");
        if (texts.Count > MaxSteps)
        {
            throw ApiException.BadRequest("queryTooComplex", $"$apply has {texts.Count} transformations; send at most {MaxSteps}.", Option);
        }

        var steps = new List<ApplyStep>();
        var bound = new List<string>();
        foreach (var raw in texts)
        {
            var text = raw.Trim();
            var open = text.IndexOf('(', StringComparison.Ordinal);
            if (open <= 0 || !text.EndsWith(')'))
            {
                throw Invalid($"'{text}' is not a transformation. Write name(arguments) and join transformations with '/', e.g. filter(status eq 'failed')/groupby((status),aggregate($count as n)).");
            }

            var name = text[..open].Trim();
            var arguments = text[(open + 1)..^1];
            var lower = name.ToLowerInvariant();
            if (lower == "search")
            {
                throw QueryNotImplemented.For("the search transformation", "Filter with filter(contains(displayName,'…')) in $apply instead", Option);
            }

            if (NotEvaluated.Contains(lower))
            {
                throw QueryNotImplemented.For($"the {lower} transformation", $"Supported in $apply: {string.Join(", ", Supported)}", Option);
            }

            switch (lower)
            {
                case "identity":
                    if (arguments.Trim().Length > 0)
                    {
                        throw Invalid("identity takes no arguments: write identity().");
                    }

                    continue;
                case "top":
                case "skip":
                    var count = ParseCount(lower, arguments);
                    steps.Add(lower == "top" ? new ApplyTop(count) : new ApplySkip(count));
                    continue;
                case "orderby":
                    steps.Add(OrderBy(arguments, bound, elementType, set, aliases));
                    continue;
            }

            if (!BoundByParser.Contains(lower))
            {
                throw name.Contains('.', StringComparison.Ordinal)
                    ? Invalid($"'{name}' names no function of this service that can be used as a transformation. Supported in $apply: {string.Join(", ", Supported)}.")
                    : Invalid($"'{name}' is not a transformation. Supported in $apply: {string.Join(", ", Supported)}.");
            }

            CheckArguments(lower, arguments);
            var normalised = lower + "(" + (lower is "filter" or "compute" ? ODataSyntax401.Rewrite(arguments) : arguments) + ")";
            bound.Add(normalised);
            var transformation = Bind(string.Join('/', bound), elementType, set, aliases).Transformations.Last();
            steps.Add(Step(transformation));
        }

        return new Parsed(steps, string.Join('/', bound));
    }

    /// <summary>$filter and $orderby of a request with $apply: evaluated on the result of $apply, its aliases in scope.</summary>
    public static ODataQueryOptionParser ParserAfter(string boundPrefix, IEdmStructuredType elementType, IEdmNavigationSource set,
        IReadOnlyDictionary<string, string> options)
    {
        var all = new Dictionary<string, string>(options, StringComparer.Ordinal);
        if (boundPrefix.Length > 0)
        {
            all["$apply"] = boundPrefix;
        }

        var parser = new ODataQueryOptionParser(IndustryDataEdm.Model, (IEdmType)elementType, set, all)
        {
            Resolver = new ODataUriResolver { EnableCaseInsensitive = true },
        };
        if (boundPrefix.Length > 0)
        {
            parser.ParseApply();
        }

        return parser;
    }

    public static ApplyOrderBy OrderBy(OrderByClause? clause)
    {
        var keys = new List<(SingleValueNode, bool)>();
        for (; clause is not null; clause = clause.ThenBy)
        {
            keys.Add((clause.Expression, clause.Direction == OrderByDirection.Descending));
        }

        return new ApplyOrderBy(keys);
    }

    private static ApplyOrderBy OrderBy(string arguments, List<string> bound, IEdmStructuredType elementType, IEdmNavigationSource set, IReadOnlyDictionary<string, string> aliases)
    {
        var options = new Dictionary<string, string>(aliases, StringComparer.Ordinal) { ["$orderby"] = ODataSyntax401.Rewrite(arguments) };
        try
        {
            return OrderBy(ParserAfter(string.Join('/', bound), elementType, set, options).ParseOrderBy());
        }
        catch (ODataException exception)
        {
            throw Invalid($"orderby({arguments}) is invalid: {exception.Message}");
        }
    }

    private static ApplyClause Bind(string apply, IEdmStructuredType elementType, IEdmNavigationSource set, IReadOnlyDictionary<string, string> aliases)
    {
        try
        {
            return ParserAfter(string.Empty, elementType, set, new Dictionary<string, string>(aliases, StringComparer.Ordinal) { ["$apply"] = apply }).ParseApply();
        }
        catch (ODataException exception) when (exception.Message.Contains("must evaluate to a property access value", StringComparison.Ordinal))
        {
            throw Invalid($"$apply uses a property that the preceding groupby or aggregate aggregated away ({exception.Message}). After groupby only its grouping properties and aliases remain.");
        }
        catch (ODataException exception)
        {
            throw Invalid($"$apply is invalid: {exception.Message} Check the transformation against the Data Aggregation syntax, e.g. groupby((status),aggregate(statistics/recordsSent with sum as total)).");
        }
    }

    private static ApplyStep Step(TransformationNode transformation) => transformation switch
    {
        FilterTransformationNode filter => new ApplyFilter(filter.FilterClause.Expression),
        ComputeTransformationNode compute => new ApplyCompute([.. compute.Expressions]),
        AggregateTransformationNode aggregate => new ApplyAggregate(null, [.. aggregate.AggregateExpressions]),
        GroupByTransformationNode groupBy => new ApplyAggregate(
            [.. groupBy.GroupingProperties.SelectMany(property => Flatten(property, []))],
            groupBy.ChildTransformations is AggregateTransformationNode child ? [.. child.AggregateExpressions] : []),
        _ => throw QueryNotImplemented.For($"the {transformation.Kind.ToString().ToLowerInvariant()} transformation", $"Supported in $apply: {string.Join(", ", Supported)}", Option),
    };

    private static IEnumerable<ApplyGroupingPath> Flatten(GroupByPropertyNode property, IReadOnlyList<string> prefix)
    {
        var path = prefix.Append(property.Name).ToList();
        if (property.Expression is { } expression)
        {
            // The parser names an open member's grouping node by its last segment only (statistics/nested/x is "x").
            yield return new ApplyGroupingPath(ApplyPaths.Of(expression) is { Count: > 0 } full ? full : path, expression);
        }

        foreach (var child in property.ChildTransformations)
        {
            foreach (var leaf in Flatten(child, path))
            {
                yield return leaf;
            }
        }
    }

    /// <summary>Valid forms the URI parser cannot read (it would answer a misleading syntax error): a 501 naming them.</summary>
    private static void CheckArguments(string name, string arguments)
    {
        if (name == "groupby")
        {
            var parts = Split(arguments, ',', "groupby");
            var grouping = parts[0].Trim();
            if (grouping.Contains("rolluprecursive(", StringComparison.OrdinalIgnoreCase) || grouping.Contains("rollup(", StringComparison.OrdinalIgnoreCase))
            {
                throw QueryNotImplemented.For("rollup in groupby", "Send one groupby per level (e.g. groupby((status)) and groupby((status,blockingError/code)))", Option);
            }

            if (parts.Count > 1)
            {
                var nested = string.Join(',', parts.Skip(1)).Trim();
                var sequence = Split(nested, '/', "groupby");
                if (sequence.Count > 1 || !sequence[0].TrimStart().StartsWith("aggregate(", StringComparison.OrdinalIgnoreCase))
                {
                    throw QueryNotImplemented.For("a transformation sequence inside groupby other than one aggregate(…)",
                        "Put filter, compute, orderby, top and skip before or after the groupby, e.g. groupby((status),aggregate($count as n))/orderby(n desc)/top(3)", Option);
                }

                CheckArguments("aggregate", sequence[0].Trim()["aggregate(".Length..^1]);
            }
        }
        else if (name == "aggregate")
        {
            foreach (var expression in Split(arguments, ',', "aggregate"))
            {
                if (System.Text.RegularExpressions.Regex.IsMatch(expression, @"\sfrom\s"))
                {
                    throw QueryNotImplemented.For("the from keyword in aggregate", "Group first and aggregate the groups: groupby((…),aggregate(… as a))/aggregate(a with … as b)", Option);
                }

                if (System.Text.RegularExpressions.Regex.Match(expression, @"\swith\s+([A-Za-z_][\w]*\.[\w.]+)") is { Success: true } custom)
                {
                    throw QueryNotImplemented.For($"the custom aggregation method {custom.Groups[1].Value}", "Use sum, min, max, average or countdistinct", Option);
                }
            }
        }
    }

    private static long ParseCount(string name, string arguments)
    {
        if (!long.TryParse(arguments.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count))
        {
            throw Invalid($"{name}({arguments}) needs a non-negative integer, e.g. {name}(10).");
        }

        return count;
    }

    private static List<string> Split(string text, char separator, string where) => TopLevelText.Split(text, separator, where, Option);

    private static ApiException Invalid(string message) => ApiException.BadRequest("invalidQueryOption", message, Option);
}
