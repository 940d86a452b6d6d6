using System.Text;
using System.Text.RegularExpressions;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// OData 4.01 expression syntax the URI parser (ODL 8) does not read, rewritten to 4.0 syntax with the same meaning
/// before parsing (Protocol §12.2.1 item 9: a 4.01 service accepts both, whatever OData-MaxVersion says):
/// <list type="bullet">
/// <item>duration literals without the prefix: <c>P1DT2H</c> → <c>duration'P1DT2H'</c>;</item>
/// <item><c>a divby b</c> → <c>a mul cast(1,Edm.Decimal) div b</c>: divby promotes to decimal before dividing, and
/// mul and div share divby's precedence and left associativity, so the operand to the left is the same.</item>
/// </list>
/// String literals are left alone. <c>case(...)</c> has no 4.0 equivalent: it is reported, not rewritten.
/// </summary>
public static partial class ODataSyntax401
{
    public static string Rewrite(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var result = new StringBuilder(expression.Length + 16);
        var i = 0;
        while (i < expression.Length)
        {
            var c = expression[i];
            if (c == '\'')
            {
                var end = EndOfString(expression, i);
                result.Append(expression, i, end - i);
                i = end;
            }
            else if (IsWordChar(c))
            {
                var end = i;
                while (end < expression.Length && IsWordChar(expression[end]))
                {
                    end++;
                }

                var word = expression[i..end];
                var delimited = (i == 0 || IsDelimiter(expression[i - 1])) && (end == expression.Length || IsDelimiter(expression[end]) || expression[end] == ')');
                if (delimited && word.Equals("divby", StringComparison.OrdinalIgnoreCase))
                {
                    result.Append("mul cast(1,Edm.Decimal) div");
                }
                else if (delimited && Duration().IsMatch(word) && (end == expression.Length || expression[end] != '\''))
                {
                    result.Append("duration'").Append(word).Append('\'');
                }
                else
                {
                    result.Append(word);
                }

                i = end;
            }
            else
            {
                result.Append(c);
                i++;
            }
        }

        return result.ToString();
    }

    /// <summary>The 4.01 construct the parser cannot read at all, if the expression uses one (outside string literals).</summary>
    public static string? UnreadableConstruct(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        for (var i = 0; i < expression.Length; i++)
        {
            if (expression[i] == '\'')
            {
                i = EndOfString(expression, i) - 1;
            }
            else if ((i == 0 || !IsWordChar(expression[i - 1])) && string.Compare(expression, i, "case", 0, 4, StringComparison.OrdinalIgnoreCase) == 0
                && expression.AsSpan(i + 4).TrimStart().StartsWith("("))
            {
                return "case";
            }
        }

        return null;
    }

    /// <summary>The index just past the string literal starting at <paramref name="start"/> ('' is an escaped quote).</summary>
    private static int EndOfString(string expression, int start)
    {
        var i = start + 1;
        while (i < expression.Length)
        {
            if (expression[i] == '\'')
            {
                if (i + 1 < expression.Length && expression[i + 1] == '\'')
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return expression.Length;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '.' or '@' or '$' or '-' or ':' or '+';

    private static bool IsDelimiter(char c) => char.IsWhiteSpace(c) || c is '(' or ',' or '=';

    [GeneratedRegex(@"^-?P(?=\d|T\d)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Duration();
}
