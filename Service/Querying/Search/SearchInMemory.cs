using System.Globalization;
using System.Text;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying.Search;

/// <summary>
/// $search evaluated on values already read (the details of one run's blockingError: a bounded array), with the word
/// rules of the runs' full-text index (FTS5 unicode61, remove_diacritics 2): a word is a run of letters and digits,
/// compared without case and diacritics; a "phrase" is its words one after the other within one field; a prefix term
/// matches the beginning of a word.
/// </summary>
public static class SearchInMemory
{
    /// <summary>Whether <paramref name="node"/> holds for the text of <paramref name="fields"/> (null fields have no words).</summary>
    public static bool Matches(SearchNode node, IReadOnlyList<string?> fields)
    {
        ArgumentNullException.ThrowIfNull(node);
        var words = fields.Select(field => Words(field ?? string.Empty)).ToList();
        return Evaluate(node, words);
    }

    /// <summary>The tree OData's parser made of a $search nested in $select, as the nodes <see cref="SearchSyntax"/> makes.</summary>
    public static SearchNode From(SingleValueNode node) => node switch
    {
        SearchTermNode term when term.Text.Length > 1 && term.Text.EndsWith('*') => new SearchTerm(term.Text.TrimEnd('*'), Prefix: true),
        SearchTermNode term => new SearchTerm(term.Text, Prefix: false),
        BinaryOperatorNode { OperatorKind: BinaryOperatorKind.And } and => new SearchAnd(From(and.Left), From(and.Right)),
        BinaryOperatorNode { OperatorKind: BinaryOperatorKind.Or } or => new SearchOr(From(or.Left), From(or.Right)),
        UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Not } not => new SearchNot(From(not.Operand)),
        ConvertNode convert => From(convert.Source),
        _ => throw new InvalidOperationException($"Unexpected $search node {node.Kind}."),
    };

    private static bool Evaluate(SearchNode node, List<List<string>> fields) => node switch
    {
        SearchTerm term => Words(term.Text) is { Count: > 0 } phrase && fields.Any(words => Contains(words, phrase, term.Prefix)),
        SearchAnd(var left, var right) => Evaluate(left, fields) && Evaluate(right, fields),
        SearchOr(var left, var right) => Evaluate(left, fields) || Evaluate(right, fields),
        SearchNot(var operand) => !Evaluate(operand, fields),
        _ => false,
    };

    private static bool Contains(List<string> words, List<string> phrase, bool prefix)
    {
        for (var start = 0; start + phrase.Count <= words.Count; start++)
        {
            var i = 0;
            while (i < phrase.Count && (words[start + i] == phrase[i] || (prefix && i == phrase.Count - 1 && words[start + i].StartsWith(phrase[i], StringComparison.Ordinal))))
            {
                i++;
            }

            if (i == phrase.Count)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The words of <paramref name="text"/>: letters and digits, lower case, without diacritics.</summary>
    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
