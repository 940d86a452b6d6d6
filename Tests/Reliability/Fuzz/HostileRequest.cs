using System.Text;

namespace IndustryData.OData.Tests.Reliability.Fuzz;

/// <summary>Which seeded run a request is aimed at.</summary>
public enum FuzzTarget
{
    /// <summary>No particular run (the set, system resources, unknown keys).</summary>
    None,

    /// <summary>A run that must come out unchanged: writes to it carry a stale If-Match.</summary>
    Protected,

    /// <summary>A run that valid writes may change or delete.</summary>
    Expendable,
}

/// <summary>One generated request, printable for a failure message.</summary>
public sealed record HostileRequest(string Method, string Url, IReadOnlyList<(string Name, string Value)> Headers, string? ContentType, byte[]? Body, FuzzTarget Target)
{
    public override string ToString()
    {
        var text = new StringBuilder().Append(Method).Append(' ').Append(Shorten(Url, 400)).Append(" [").Append(Target).Append(']');
        foreach (var (name, value) in Headers)
        {
            text.Append("\n  ").Append(name).Append(": ").Append(Shorten(value, 200));
        }

        if (ContentType is not null)
        {
            text.Append("\n  Content-Type: ").Append(ContentType);
        }

        if (Body is not null)
        {
            text.Append("\n  body (").Append(Body.Length).Append(" bytes): ").Append(Shorten(Encoding.UTF8.GetString(Body), 600));
        }

        return text.ToString();
    }

    private static string Shorten(string value, int length)
    {
        var escaped = string.Concat(value.Take(length).Select(c => c < ' ' || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
        return value.Length > length ? escaped + $"…(+{value.Length - length})" : escaped;
    }
}
