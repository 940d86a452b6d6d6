using IndustryData.OData.Service.Errors;

namespace IndustryData.OData.Service.ResourcePaths;

/// <summary>
/// The 4.01 /$filter(…) path segment (OData URL Conventions §4.12 "Addressing a Subset of a Collection"): after a
/// collection, restricts it to the items the expression (or the parameter alias in the parentheses) holds for. For a
/// GET it is the same as the $filter system query option, so the segments are taken out of the path and joined with
/// and to $filter: runs/$filter(status eq 'failed')/$count reads as runs/$count?$filter=(status eq 'failed').
/// The segment may occur several times; an expression in it may not contain a forward slash (use an alias instead).
/// </summary>
internal static class FilterSegments
{
    private const string Prefix = "$filter(";

    /// <summary>Collections a /$filter segment may follow (the segment before it, or the one before a type cast).</summary>
    private static readonly string[] Collections = ["runs", "$all", "details"];

    public static bool Has(string path) => path.Contains("/" + Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The path without its /$filter segments, and their expressions in order.</summary>
    public static (string Path, List<string> Expressions) Take(string path)
    {
        var kept = new List<string>();
        var expressions = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (!segment.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                kept.Add(segment);
                continue;
            }

            if (!segment.EndsWith(')') || !Balanced(segment))
            {
                throw ApiException.BadRequest("invalidFilterSegment",
                    "A /$filter(…) path segment must hold a whole expression without '/' (OData URL Conventions §4.12). Put the expression in a parameter alias instead, e.g. runs/$filter(@f)?@f=blockingError/code eq 'x'.",
                    "$filter");
            }

            if (!FollowsCollection(kept))
            {
                throw ApiException.BadRequest("invalidFilterSegment",
                    $"/$filter(…) follows a collection (runs, a type cast of it, $all, $crossjoin(runs) or blockingError/details), not '{kept.LastOrDefault()}'.",
                    "$filter");
            }

            var expression = segment[Prefix.Length..^1];
            if (string.IsNullOrWhiteSpace(expression))
            {
                throw ApiException.BadRequest("invalidFilterSegment", "/$filter() is empty. Put a filter expression or a parameter alias in the parentheses, e.g. runs/$filter(status eq 'failed').", "$filter");
            }

            expressions.Add(expression);
        }

        return (string.Join('/', kept), expressions);
    }

    /// <summary>The expressions and the $filter option, if any, joined with and: one condition.</summary>
    public static string Combine(IEnumerable<string> expressions, string? option) =>
        string.Join(" and ", expressions.Append(option).OfType<string>().Select(expression => "(" + expression + ")"));

    private static bool FollowsCollection(List<string> kept)
    {
        var last = kept.LastOrDefault() ?? string.Empty;
        if (last.Contains('.', StringComparison.Ordinal) && !last.Contains('(', StringComparison.Ordinal) && kept.Count > 1)
        {
            // A type cast: what it casts must be a collection.
            last = kept[^2];
        }

        return Collections.Contains(last, StringComparer.Ordinal) || last.StartsWith("$crossjoin(", StringComparison.Ordinal);
    }

    private static bool Balanced(string segment)
    {
        var depth = 0;
        var quoted = false;
        foreach (var c in segment)
        {
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '(')
            {
                depth++;
            }
            else if (!quoted && c == ')' && --depth < 0)
            {
                return false;
            }
        }

        return depth == 0 && !quoted;
    }
}
