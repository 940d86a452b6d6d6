using System.Globalization;
using System.Text;

namespace IndustryData.OData.Tests.Reliability.Fuzz;

/// <summary>Builds JSON text by hand, so that bodies can say things a serializer never would.</summary>
public static class JsonText
{
    /// <summary>
    /// A JSON string literal. Unpaired surrogates and control characters are always \u-escaped (UTF-8 cannot carry
    /// them raw); other characters go raw unless <paramref name="escapeAll"/>.
    /// </summary>
    public static string Quote(string value, bool escapeAll = false)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var paired = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
            if (paired && !escapeAll)
            {
                text.Append(c).Append(value[++i]);
            }
            else if (c is '"' or '\\')
            {
                text.Append('\\').Append(c);
            }
            else if (c < ' ' || char.IsSurrogate(c) || escapeAll && c > '~')
            {
                text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.Append('"').ToString();
    }

    public static string Object(IEnumerable<(string Name, string Value)> members) =>
        "{" + string.Join(",", members.Select(member => Quote(member.Name) + ":" + member.Value)) + "}";

    public static string Nested(int depth, string open, string close, string inner) =>
        string.Concat(Enumerable.Repeat(open, depth)) + inner + string.Concat(Enumerable.Repeat(close, depth));
}
