using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying;

/// <summary>Reads literal values out of the parsed filter, looking through the parser's implicit conversions.</summary>
public static class LiteralValues
{
    /// <summary>The node is a literal (possibly converted, or a parameter alias the parser replaced by its literal).</summary>
    public static bool IsLiteral(SingleValueNode? node) => node switch
    {
        ConstantNode => true,
        ConvertNode convert => IsLiteral(convert.Source),
        _ => false,
    };

    public static object? ValueOf(SingleValueNode node) => node switch
    {
        ConstantNode constant => constant.Value,
        ConvertNode convert => ValueOf(convert.Source),
        _ => throw new ArgumentException("Not a literal.", nameof(node)),
    };

    /// <summary>A Date literal as the UTC midnight it starts at (OData promotes Edm.Date to Edm.DateTimeOffset so).</summary>
    public static DateTimeOffset? MidnightUtc(object? value) => value switch
    {
#pragma warning disable CS0618 // ODL 8 still parses Edm.Date and Edm.TimeOfDay literals into these types.
        Microsoft.OData.Edm.Date date => new DateTimeOffset(date.Year, date.Month, date.Day, 0, 0, 0, TimeSpan.Zero),
#pragma warning restore CS0618
        DateOnly date => new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        _ => null,
    };
}
