using System.Text;
using IndustryData.OData.Model.Edm;
using IndustryData.OData.Service.Errors;
using Microsoft.OData.Edm;

namespace IndustryData.OData.Service.ResourcePaths;

/// <summary>
/// $filter and $orderby of $crossjoin(runs) name properties through the entity set, as navigation properties of the
/// row's virtual complex type (OData URL Conventions §4.15): runs/status eq 'failed'. With one joined set every row
/// holds one run, so the expression over the row is the expression over the run without the runs/ prefix. A run
/// property named without the prefix is not a member of the row: 400.
/// </summary>
internal static class CrossJoinExpression
{
    private static readonly HashSet<string> RunProperties = IndustryDataEdm.Model.SchemaElements.OfType<IEdmEntityType>()
        .Single(type => type.FullName() == IndustryDataEdm.RunTypeName)
        .StructuralProperties().Select(property => property.Name).ToHashSet(StringComparer.Ordinal);

    public static string Unprefix(string expression, string set, string option)
    {
        var result = new StringBuilder(expression.Length);
        var i = 0;
        char? previous = null;
        while (i < expression.Length)
        {
            var c = expression[i];
            if (c == '\'')
            {
                // A string literal, '' escaping a quote: copied as it is.
                var end = i + 1;
                while (end < expression.Length)
                {
                    if (expression[end] == '\'')
                    {
                        if (end + 1 < expression.Length && expression[end + 1] == '\'')
                        {
                            end += 2;
                            continue;
                        }

                        break;
                    }

                    end++;
                }

                end = Math.Min(end + 1, expression.Length);
                result.Append(expression, i, end - i);
                previous = '\'';
                i = end;
                continue;
            }

            if (char.IsLetter(c) || c is '_' or '$')
            {
                var end = i + 1;
                while (end < expression.Length && (char.IsLetterOrDigit(expression[end]) || expression[end] is '_' or '.'))
                {
                    end++;
                }

                var identifier = expression[i..end];
                var afterSlash = previous == '/';
                if (!afterSlash && identifier == set && end < expression.Length && expression[end] == '/')
                {
                    i = end + 1;
                    previous = '/';
                    continue;
                }

                if (!afterSlash && RunProperties.Contains(identifier) && (end >= expression.Length || expression[end] != '('))
                {
                    throw ApiException.BadRequest("unknownProperty",
                        $"In {option} of $crossjoin({set}), a property of a run is named through its entity set: {set}/{identifier}, not {identifier}.",
                        option);
                }

                result.Append(identifier);
                previous = identifier[^1];
                i = end;
                continue;
            }

            result.Append(c);
            if (!char.IsWhiteSpace(c))
            {
                previous = c;
            }

            i++;
        }

        return result.ToString();
    }
}
