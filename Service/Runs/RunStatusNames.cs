using IndustryData.OData.Model.Runs;

namespace IndustryData.OData.Service.Runs;

/// <summary>runStatus members as they appear on the wire (lower camel case).</summary>
public static class RunStatusNames
{
    private static readonly IReadOnlyDictionary<string, RunStatus> ByName = Enum.GetValues<RunStatus>()
        .ToDictionary(status => ToWireName(status), StringComparer.Ordinal);

    public static string ToWireName(RunStatus status)
    {
        var name = status.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    /// <summary>A member name, or its integer value as OData allows; case-sensitive.</summary>
    public static RunStatus? Parse(string text)
    {
        if (ByName.TryGetValue(text, out var status))
        {
            return status;
        }

        if (text.Length is > 0 and < 4 && text.All(char.IsAsciiDigit)
            && int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) is var number
            && Enum.IsDefined((RunStatus)number))
        {
            return (RunStatus)number;
        }

        return null;
    }

    /// <summary>Exactly a member's wire name (not its number, not another case); null otherwise.</summary>
    public static RunStatus? ParseMemberName(string text) => ByName.TryGetValue(text, out var status) ? status : null;

    public static string? SuggestFor(string text) =>
        ByName.Keys.FirstOrDefault(name => string.Equals(name, text.Trim(), StringComparison.OrdinalIgnoreCase));
}
