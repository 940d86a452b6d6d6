using System.Globalization;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// Runs whose values exercise the canonical functions' edges: white space and non-ASCII text, fractions of a second
/// down to 100 ns, a leap day, a year boundary, a null end, LIKE's wildcards. Tests compute what each filter must return from these
/// values with .NET directly, never through the service's code.
/// </summary>
public static class FunctionRuns
{
    public sealed record Row(string Name, string DisplayName, DateTimeOffset Start, DateTimeOffset? End, string Status);

    public static readonly Row[] Rows =
    [
        new("Alpha", "Alpha export", Utc("2026-01-01T00:00:00Z"), Utc("2026-01-01T01:00:00Z"), "completed"),
        new("Bravo", "  Bravo import\t", Utc("2026-02-15T13:45:30.25Z"), null, "running"),
        new("Elan", "Élan ÉXPORT", Utc("2025-12-31T23:59:59.9999999Z"), Utc("2026-01-01T00:00:00.5Z"), "failed"),
        new("Delta", "delta-Import 42", Utc("2026-03-01T08:00:00.1234567Z"), Utc("2026-03-02T09:30:00Z"), "completedWithErrors"),
        new("Echo", "Echo", Utc("2024-02-29T12:00:00Z"), Utc("2024-02-29T12:00:00.0000001Z"), "completedWithWarnings"),
        new("Foxtrot", "Foxtrot import", Utc("2026-01-31T23:00:00Z"), Utc("2026-02-01T01:00:00Z"), "completed"),
        new("Golf", "100%_[sale]", Utc("2026-01-15T06:30:00Z"), Utc("2026-01-15T06:30:00Z"), "completed"),
    ];

    /// <summary>Creates the runs; returns the run name for each id.</summary>
    public static async Task<Dictionary<string, string>> CreateAsync(HttpClient client)
    {
        var names = new Dictionary<string, string>();
        for (var i = 0; i < Rows.Length; i++)
        {
            var row = Rows[i];
            var body = RunBodies.Run(i % 2 == 0 ? RunBodies.OutgoingType : RunBodies.IncomingType)
                .With("displayName", row.DisplayName)
                .With("startDateTime", Text(row.Start))
                .With("endDateTime", row.End is { } end ? Text(end) : null)
                .With("status", row.Status);
            names[(string)(await client.CreateRunAsync(body))["id"]!] = row.Name;
        }

        return names;
    }

    public static string[] Matching(Func<Row, bool> predicate) => Rows.Where(predicate).Select(row => row.Name).ToArray();

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private static JsonNode Text(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
}
