using System.Text;
using IndustryData.OData.Service.Errors;

namespace IndustryData.OData.Service.Querying.Search;

/// <summary>A parsed $search expression (URL Conventions §5.1.7, ABNF <c>searchExpr</c>).</summary>
public abstract record SearchNode;

/// <summary>A word or a "phrase": every token of it, in order; <paramref name="Prefix"/> for a word ending in * (or a type-ahead '…').</summary>
public sealed record SearchTerm(string Text, bool Prefix) : SearchNode;

public sealed record SearchAnd(SearchNode Left, SearchNode Right) : SearchNode;

public sealed record SearchOr(SearchNode Left, SearchNode Right) : SearchNode;

public sealed record SearchNot(SearchNode Operand) : SearchNode;

/// <summary>
/// Reads a $search value: words, "phrases", the case-sensitive keywords NOT, AND and OR (in that precedence; two
/// expressions side by side are an implicit AND), parentheses, and the type-ahead form '…' (an OData string literal:
/// its text as a phrase whose last word is a prefix). A word ending in * is a prefix. Anything else is a 400 that says where.
/// </summary>
public static class SearchSyntax
{
    public const string Option = "$search";

    /// <summary>Bounds on one expression: words and phrases, and nesting.</summary>
    public const int MaxTerms = 32;
    private const int MaxDepth = 10;

    public static SearchNode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = Tokenize(text.Trim());
        if (tokens.Count == 0)
        {
            throw Invalid("$search is empty. Give a word, a \"phrase\", or an expression such as roster AND NOT failed.");
        }

        if (tokens.Count(token => token.Kind == Kind.Term) > MaxTerms)
        {
            throw ApiException.BadRequest("queryTooComplex", $"$search has more than {MaxTerms} words and phrases. Search for fewer, or narrow the list with $filter.", Option);
        }

        var reader = new Reader(tokens);
        var node = reader.Or(0);
        if (!reader.AtEnd)
        {
            throw Invalid($"$search has an unexpected {reader.Describe()}: a ')' without its '(' or an operator without an expression after it.");
        }

        return node;
    }

    private enum Kind
    {
        Term,
        Open,
        Close,
        And,
        Or,
        Not,
    }

    private sealed record Token(Kind Kind, SearchTerm? Term = null);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '(' || c == ')')
            {
                tokens.Add(new Token(c == '(' ? Kind.Open : Kind.Close));
                i++;
            }
            else if (c == '"')
            {
                tokens.Add(new Token(Kind.Term, new SearchTerm(Quoted(text, ref i, '"'), Prefix: false)));
            }
            else if (c == '\'' && i == 0)
            {
                // searchExpr-incomplete: the whole value is one string literal.
                var value = Quoted(text, ref i, '\'');
                if (i < text.Length)
                {
                    throw Invalid("$search in single quotes (the type-ahead form) must be the whole value, as in $search='roster nigh'.");
                }

                tokens.Add(new Token(Kind.Term, new SearchTerm(value, Prefix: true)));
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or '"'))
                {
                    i++;
                }

                var word = text[start..i];
                if (word.Contains(';', StringComparison.Ordinal))
                {
                    throw Invalid($"$search has the word '{word}' with a ';', which a search word may not contain. Put it in a \"phrase\" instead.");
                }

                tokens.Add(word switch
                {
                    "AND" => new Token(Kind.And),
                    "OR" => new Token(Kind.Or),
                    "NOT" => new Token(Kind.Not),
                    _ when word.Length > 1 && word.EndsWith('*') => new Token(Kind.Term, new SearchTerm(word.TrimEnd('*'), Prefix: true)),
                    _ => new Token(Kind.Term, new SearchTerm(word, Prefix: false)),
                });
            }
        }

        return tokens;
    }

    /// <summary>A "phrase" (\" and \\ escape, 4.01) or a 'literal' (a doubled '' is one quote), from the opening quote at <paramref name="i"/>.</summary>
    private static string Quoted(string text, ref int i, char quote)
    {
        var value = new StringBuilder();
        for (i++; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '"' && c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\')
            {
                value.Append(text[++i]);
            }
            else if (c == quote && quote == '\'' && i + 1 < text.Length && text[i + 1] == '\'')
            {
                value.Append(c);
                i++;
            }
            else if (c == quote)
            {
                i++;
                if (value.ToString().Trim().Length == 0)
                {
                    throw Invalid($"$search has an empty {(quote == '"' ? "phrase" : "string")}. Put at least one word between the quotes.");
                }

                return value.ToString();
            }
            else
            {
                value.Append(c);
            }
        }

        throw Invalid($"$search has a {(quote == '"' ? "phrase" : "string")} without its closing {quote}. Close it, or write \\\" for a quote inside a phrase.");
    }

    private static ApiException Invalid(string message) => ApiException.BadRequest("invalidSearch", message, Option);

    /// <summary>Recursive descent: or := and (OR and)*; and := not ([AND] not)*; not := NOT not | primary.</summary>
    private sealed class Reader(List<Token> tokens)
    {
        private int position;

        public bool AtEnd => position == tokens.Count;

        public string Describe() => tokens[position].Kind switch
        {
            Kind.Close => "')'",
            var kind => kind.ToString().ToUpperInvariant(),
        };

        public SearchNode Or(int depth)
        {
            var node = And(depth);
            while (Take(Kind.Or))
            {
                node = new SearchOr(node, And(depth));
            }

            return node;
        }

        private SearchNode And(int depth)
        {
            var node = Not(depth);
            while (!AtEnd && tokens[position].Kind is Kind.And or Kind.Term or Kind.Open or Kind.Not)
            {
                Take(Kind.And);
                node = new SearchAnd(node, Not(depth));
            }

            return node;
        }

        private SearchNode Not(int depth) => Take(Kind.Not) ? new SearchNot(Not(depth)) : Primary(depth);

        private SearchNode Primary(int depth)
        {
            if (AtEnd)
            {
                throw Invalid("$search ends where a word, a \"phrase\" or a '(' is expected (after AND, OR, NOT or '('). Complete the expression.");
            }

            var token = tokens[position++];
            switch (token.Kind)
            {
                case Kind.Term:
                    return token.Term!;
                case Kind.Open when depth >= MaxDepth:
                    throw ApiException.BadRequest("queryTooComplex", $"$search nests parentheses deeper than {MaxDepth}. Simplify the expression.", Option);
                case Kind.Open:
                    var inner = Or(depth + 1);
                    if (!Take(Kind.Close))
                    {
                        throw Invalid("$search has a '(' without its ')'. Close the group.");
                    }

                    return inner;
                default:
                    throw Invalid($"$search has {(token.Kind == Kind.Close ? "')'" : token.Kind.ToString().ToUpperInvariant())} where a word, a \"phrase\" or a '(' is expected. "
                        + "AND and OR go between two expressions, NOT before one; to search for the word itself, put it in quotes (\"AND\").");
            }
        }

        private bool Take(Kind kind)
        {
            if (!AtEnd && tokens[position].Kind == kind)
            {
                position++;
                return true;
            }

            return false;
        }
    }
}
