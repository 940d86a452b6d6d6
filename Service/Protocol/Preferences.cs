using System.Globalization;

namespace IndustryData.OData.Service.Protocol;

/// <summary>The Prefer request header (RFC 7240) as OData uses it, and Preference-Applied on the response.</summary>
public static class Preferences
{
    public static bool ReturnMinimal(HttpRequest request) => Has(request, "return", "minimal");

    public static bool ReturnRepresentation(HttpRequest request) => Has(request, "return", "representation");

    public static bool ContinueOnError(HttpRequest request) =>
        Value(request, "odata.continue-on-error") is { } value && !value.Equals("false", StringComparison.OrdinalIgnoreCase);

    public static int? MaxPageSize(HttpRequest request) =>
        Value(request, "odata.maxpagesize") is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0
            ? size
            : null;

    public static bool TrackChanges(HttpRequest request) => Names(request).Any(name => name.Equals("odata.track-changes", StringComparison.OrdinalIgnoreCase));

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

    private static string? Value(HttpRequest request, string name)
    {
        foreach (var (key, value) in Stated(request))
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
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
