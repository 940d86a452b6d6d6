using IndustryData.OData.Service.Errors;

namespace IndustryData.OData.Service.Querying;

/// <summary>The parts of a query option's text ($apply, $expand) between separators outside parentheses and string literals.</summary>
public static class TopLevelText
{
    /// <summary>Splits at <paramref name="separator"/> outside parentheses and quoted strings.</summary>
    public static List<string> Split(string text, char separator, string where, string option)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '(')
            {
                depth++;
            }
            else if (!quoted && c == ')')
            {
                if (--depth < 0)
                {
                    throw ApiException.BadRequest("invalidQueryOption", $"{where} has a ')' without its '(' at position {i}.", option);
                }
            }
            else if (!quoted && depth == 0 && c == separator)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        if (depth != 0 || quoted)
        {
            throw ApiException.BadRequest("invalidQueryOption", $"{where} has {(quoted ? "a string without its closing quote" : "a '(' without its ')'")}. Close it.", option);
        }

        parts.Add(text[start..]);
        return parts;
    }
}
