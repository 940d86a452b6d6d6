using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// Six runs of both types with distinct values, created through the API; tests refer to them by name
/// (A..F) and compare exact ids and order.
/// </summary>
public static class SeededRuns
{
    private static readonly (string Name, string Type, string DisplayName, string Start, string? End, string Status)[] Rows =
    [
        ("A", RunBodies.OutgoingType, "Alpha export", "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z", "completed"),
        ("B", RunBodies.IncomingType, "Bravo import", "2026-01-02T00:00:00Z", null, "running"),
        ("C", RunBodies.OutgoingType, "Charlie export", "2026-01-03T00:00:00Z", "2026-01-03T00:05:00Z", "failed"),
        ("D", RunBodies.IncomingType, "Delta import", "2026-01-04T00:00:00Z", "2026-01-04T02:00:00Z", "completedWithErrors"),
        ("E", RunBodies.OutgoingType, "Echo export", "2026-01-05T00:00:00Z", "2026-01-05T00:30:00Z", "completedWithWarnings"),
        ("F", RunBodies.IncomingType, "Foxtrot import", "2026-01-06T00:00:00Z", "2026-01-06T03:00:00Z", "completed"),
    ];

    public static async Task<Dictionary<string, string>> CreateAsync(HttpClient client)
    {
        var ids = new Dictionary<string, string>();
        foreach (var (name, type, displayName, start, end, status) in Rows)
        {
            var body = RunBodies.Run(type)
                .With("displayName", displayName)
                .With("startDateTime", start)
                .With("endDateTime", end)
                .With("status", status)
                .With("statistics", new JsonObject { ["name"] = name });
            ids[name] = (string)(await client.CreateRunAsync(body))["id"]!;
        }

        return ids;
    }
}
