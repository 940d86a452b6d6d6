using IndustryData.OData.Model.Edm;
using IndustryData.OData.Service.Errors;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// $expand on a model without navigation properties (OData URL Conventions §5.1.3, ABNF expandItem and expandPath).
/// A star — <c>*</c>, <c>*/$ref</c>, <c>*($levels=2)</c>, also after complex properties or a type cast, as in
/// <c>blockingError/*</c> — expands every navigation property of the instances it reaches; there are none, so it is a
/// valid request that changes nothing: the response is exactly the one without $expand. Any other item names something
/// that cannot be expanded: a 400 that says what to use instead. Callers leave $expand out of what they parse next.
/// </summary>
public static class ExpandOption
{
    public const string Option = "$expand";

    /// <summary>$expand or, in 4.01, expand, in any case.</summary>
    public static bool Is(string key) => key.TrimStart('$').Equals("expand", StringComparison.OrdinalIgnoreCase) && key.LastIndexOf('$') <= 0;

    /// <summary>Every $expand of the query, checked against the type the URL addresses; $levels outside $expand is a 400.</summary>
    public static void Check(IQueryCollection query, IEdmStructuredType type)
    {
        ArgumentNullException.ThrowIfNull(query);
        foreach (var (key, values) in query)
        {
            if (IsLevels(key))
            {
                throw LevelsOutsideExpand(key);
            }

            if (Is(key))
            {
                foreach (var value in values)
                {
                    CheckValue(value ?? string.Empty, type);
                }
            }
        }
    }

    /// <summary>
    /// $expand on a property of a run (runs('…')/blockingError, …/status, …/statistics/x): checked against the
    /// complex value the path ends in; on anything else (a primitive, a member of an open type, /$value) it does not apply.
    /// </summary>
    public static void CheckOnValue(IQueryCollection query, ODataPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var key = query.Keys.FirstOrDefault(key => Is(key) || IsLevels(key));
        if (key is null)
        {
            return;
        }

        if (path.LastSegment is PropertySegment { Property.Type: var type } && !type.IsCollection() && type.Definition is IEdmComplexType complex)
        {
            Check(query, complex);
            return;
        }

        throw IsLevels(key) ? LevelsOutsideExpand(key) : ApiException.BadRequest("queryOptionNotApplicable",
            $"{key} does not apply to '{path.LastSegment.Identifier}': only entities and complex values can have navigation properties (and these have none). Leave it out.", key);
    }

    /// <summary>$levels at the top of a query: it is an option of an expanded navigation property only.</summary>
    public static bool IsLevels(string key) => key.Equals("$levels", StringComparison.OrdinalIgnoreCase);

    public static ApiException LevelsOutsideExpand(string key) => ApiException.BadRequest("invalidQueryOption",
        $"{key} is not a query option of its own: it goes inside $expand, after a navigation property or *, as in $expand=*($levels=2). "
        + "Nothing here has navigation properties, so leave it out.", key);

    private static void CheckValue(string value, IEdmStructuredType type)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in Items(value))
        {
            var text = item.Trim();
            if (text.Length == 0)
            {
                throw Invalid($"$expand='{value}' has an empty item. List items separated by single commas, e.g. $expand=*.");
            }

            if (!seen.Add(text))
            {
                throw Invalid($"$expand lists '{text}' twice; a path may appear in one expand item only. Give it once.");
            }

            CheckItem(text, type);
        }
    }

    private static void CheckItem(string item, IEdmStructuredType root)
    {
        if (item.Equals("$value", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid($"$expand=$value includes the stream of a media entity inline; a {root.FullTypeName()} is not a media entity and has no stream. Leave it out.");
        }

        var open = item.IndexOf('(', StringComparison.Ordinal);
        var path = open < 0 ? item : item[..open];
        var options = open < 0 ? null : Parenthesised(item, open);
        var segments = path.Split('/');
        var current = root;
        for (var index = 0; index < segments.Length; index++)
        {
            var segment = segments[index];
            var last = index == segments.Length - 1;
            if (segment == "*")
            {
                CheckStar(segments[(index + 1)..], options);
                return;
            }

            if (segment.StartsWith('$'))
            {
                throw Invalid($"$expand has '{segment}' in '{item}'; /$ref and /$count follow a navigation property (or * for /$ref), and {root.FullTypeName()} has none. {Instead(root)}");
            }

            if (segment.Contains('.', StringComparison.Ordinal))
            {
                current = Cast(segment, current, item);
                continue;
            }

            var property = Property(current, segment)
                ?? throw Invalid($"$expand names '{segment}', which is not a property of {current.FullTypeName()}. {Instead(root)}");
            if (property.Type.Definition.AsElementType() is IEdmComplexType complex && !last)
            {
                current = complex;
                continue;
            }

            throw Invalid($"$expand names '{path}', which is not a navigation property: {root.FullTypeName()} has no navigation properties, so there is nothing to expand. {Instead(root)}");
        }

        throw Invalid($"$expand='{item}' ends in a type cast; an expand path ends in a navigation property or *. {Instead(root)}");
    }

    /// <summary>What may follow a star: nothing, /$ref, or ($levels=n) with n a positive integer or max (ABNF expandPath).</summary>
    private static void CheckStar(string[] after, string? options)
    {
        if (after.Length == 0 && (options is null || IsLevelsOption(options)))
        {
            return;
        }

        if (after is [var reference] && reference.Equals("$ref", StringComparison.OrdinalIgnoreCase) && options is null)
        {
            return;
        }

        throw Invalid("After * in $expand come only /$ref or ($levels=n), as in $expand=*/$ref or $expand=*($levels=2) (n a positive integer or max). "
            + "$select and the other nested options belong to a named navigation property, and there are none: put $select on the request itself.");
    }

    private static bool IsLevelsOption(string options)
    {
        var equals = options.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0 || !options[..equals].TrimStart('$').Equals("levels", StringComparison.OrdinalIgnoreCase) || options[..equals].LastIndexOf('$') > 0)
        {
            return false;
        }

        var levels = options[(equals + 1)..];
        return levels.Equals("max", StringComparison.OrdinalIgnoreCase) || (levels.Length > 0 && levels[0] is >= '1' and <= '9' && levels.All(char.IsAsciiDigit));
    }

    private static IEdmStructuredType Cast(string name, IEdmStructuredType current, string item)
    {
        var type = IndustryDataEdm.Model.FindType(name) as IEdmStructuredType
            ?? throw Invalid($"$expand='{item}' casts to '{name}', which is not a structured type of this service (see $metadata).");
        return type.IsOrInheritsFrom(current)
            ? type
            : throw Invalid($"$expand='{item}' casts to {name}, which does not derive from {current.FullTypeName()}. Cast to a type derived from it, or leave the cast out.");
    }

    /// <summary>The declared property by its exact name or, failing that, its only case-insensitive match (4.01 §12.3 #10).</summary>
    private static IEdmProperty? Property(IEdmStructuredType type, string name) =>
        type.FindProperty(name) ?? type.Properties().Where(property => property.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Take(2).ToList() switch
        {
            [var only] => only,
            _ => null,
        };

    private static string Instead(IEdmStructuredType root)
    {
        var complex = root.Properties().Where(property => property.Type.Definition.AsElementType() is IEdmComplexType).Select(property => property.Name).ToList();
        var included = complex.Count == 0 ? "Every property" : $"Every property, the complex {string.Join(" and ", complex)} included,";
        var example = root.Properties().Where(property => property.Name != "id" && property.Type.Definition.AsElementType() is not IEdmComplexType).Take(2).Select(property => property.Name);
        return $"{included} is in the response already; choose properties with $select (e.g. $select={string.Join(',', example)}). $expand=* is accepted and changes nothing.";
    }

    /// <summary>The text between the parenthesis at <paramref name="open"/> and its match, which must end the item.</summary>
    private static string Parenthesised(string item, int open)
    {
        var depth = 0;
        for (var index = open; index < item.Length; index++)
        {
            depth += item[index] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
            {
                return index == item.Length - 1
                    ? item[(open + 1)..index]
                    : throw Invalid($"$expand='{item}' has text after its closing parenthesis. Nested options go last, in one pair of parentheses.");
            }
        }

        throw Invalid($"$expand='{item}' opens a parenthesis it does not close.");
    }

    /// <summary>The items of $expand: separated by commas outside parentheses and string literals.</summary>
    public static IEnumerable<string> Items(string text) => TopLevelText.Split(text, ',', Option, Option);

    private static ApiException Invalid(string message) => ApiException.BadRequest("invalidQueryOption", message, Option);
}
