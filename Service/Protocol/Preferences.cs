using System.Globalization;

namespace IndustryData.OData.Service.Protocol;

/// <summary>
/// The Prefer request header (RFC 7240) as OData uses it, and Preference-Applied on the response. OData's own
/// preferences are read under both names (OData 4.01 Minimal conformance 4: "odata.maxpagesize" and "maxpagesize",
/// …) and echoed in Preference-Applied as the client spelled them.
/// </summary>
public static class Preferences
{
    /// <summary>The preferences OData defines with an odata. prefix in 4.0 (Protocol §8.2.8); return and respond-async never had one.</summary>
    private static readonly HashSet<string> OwnNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "allow-entityreferences", "callback", "continue-on-error", "include-annotations", "maxpagesize", "track-changes",
    };

    public static bool ReturnMinimal(HttpRequest request) => Has(request, "return", "minimal");

    public static bool ReturnRepresentation(HttpRequest request) => Has(request, "return", "representation");

    public static bool ContinueOnError(HttpRequest request) =>
        Value(request, "continue-on-error") is { } value && !value.Equals("false", StringComparison.OrdinalIgnoreCase);

    public static int? MaxPageSize(HttpRequest request) =>
        Value(request, "maxpagesize") is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0
            ? size
            : null;

    /// <summary>respond-async (§8.2.8.8): the client would take a 202 and a status monitor (it never had an odata. prefix).</summary>
    public static bool RespondAsync(HttpRequest request) => Names(request).Any(name => name.Equals("respond-async", StringComparison.OrdinalIgnoreCase));

    public static bool TrackChanges(HttpRequest request) => Names(request).Any(name => IsNamed(name, "track-changes"));

    /// <summary>Preference-Applied for one of OData's preferences (named without odata.), spelled as the request states it.</summary>
    public static void AppliedAsStated(HttpContext context, string name, string? value = null)
    {
        var stated = Names(context.Request).FirstOrDefault(candidate => IsNamed(candidate, name)) ?? "odata." + name;
        Applied(context, value is null ? stated : stated + "=" + value);
    }

    public static void AppliedAsStated(HttpContext context, string name, int value) =>
        AppliedAsStated(context, name, value.ToString(CultureInfo.InvariantCulture));

    public static void Applied(HttpContext context, string preference)
    {
        var headers = context.Response.Headers;
        var existing = headers["Preference-Applied"].ToString();
        headers["Preference-Applied"] = existing.Length == 0 ? preference : existing + ", " + preference;
    }

    /// <summary>The names of the preferences the request states, as sent.</summary>
    public static IEnumerable<string> Names(HttpRequest request) => Stated(request).Select(preference => preference.Name);

    private static bool Has(HttpRequest request, string name, string value) =>
        string.Equals(Value(request, name), value, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a stated preference is the given one; OData's own (<see cref="OwnNames"/>) also with the odata. prefix.</summary>
    private static bool IsNamed(string stated, string name) =>
        stated.Equals(name, StringComparison.OrdinalIgnoreCase)
        || (OwnNames.Contains(name) && stated.Length == name.Length + 6 && stated.StartsWith("odata.", StringComparison.OrdinalIgnoreCase)
            && stated.EndsWith(name, StringComparison.OrdinalIgnoreCase));

    private static string? Value(HttpRequest request, string name)
    {
        foreach (var (key, value) in Stated(request))
        {
            if (IsNamed(key, name))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Each preference's name and value (empty when it has none), ignoring its parameters.</summary>
    private static IEnumerable<(string Name, string Value)> Stated(HttpRequest request)
    {
        foreach (var header in request.Headers["Prefer"])
        {
            foreach (var preference in (header ?? string.Empty).Split(','))
            {
                var token = preference.Split(';')[0].Trim();
                var equals = token.IndexOf('=', StringComparison.Ordinal);
                yield return equals < 0 ? (token, string.Empty) : (token[..equals].Trim(), token[(equals + 1)..].Trim().Trim('"'));
            }
        }
    }
}
