namespace IndustryData.OData.Service.Subscriptions;

/// <summary>Graph's changeType values; a subscription holds a set of them, a change exactly one.</summary>
[Flags]
public enum ChangeTypes
{
    None = 0,
    Created = 1,
    Updated = 2,
    Deleted = 4,
}

public static class ChangeTypeNames
{
    private static readonly (ChangeTypes Type, string Name)[] Names = [(ChangeTypes.Created, "created"), (ChangeTypes.Updated, "updated"), (ChangeTypes.Deleted, "deleted")];

    public static string AllowedList => string.Join(", ", Names.Select(n => n.Name));

    /// <summary>"created,updated" → the set; null when a name is unknown, empty or repeated.</summary>
    public static ChangeTypes? Parse(string text)
    {
        var result = ChangeTypes.None;
        foreach (var part in text.Split(','))
        {
            var name = part.Trim();
            var match = Names.FirstOrDefault(n => n.Name.Equals(name, StringComparison.Ordinal));
            if (match.Type == ChangeTypes.None || result.HasFlag(match.Type))
            {
                return null;
            }

            result |= match.Type;
        }

        return result;
    }

    /// <summary>The set in Graph's spelling and order, e.g. "created,updated".</summary>
    public static string Format(ChangeTypes types) => string.Join(",", Names.Where(n => types.HasFlag(n.Type)).Select(n => n.Name));
}
