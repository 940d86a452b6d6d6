using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// Runs whose statistics and blockingError hold every JSON shape the query language meets: numbers, numbers written as
/// strings, booleans, nulls, missing members, nested objects, errors with and without details. Tests compute what a
/// filter should return from these values in C#, independently of the service.
/// </summary>
public static class JsonRuns
{
    public static readonly (string Name, string Start, string Statistics, string? BlockingError)[] Rows =
    [
        ("r0", "2026-01-01T00:00:00Z", """{"recordsFailed":0,"recordsSent":10,"perEntity":{"students":5}}""", null),
        ("r1", "2026-01-02T00:00:00Z", """{"recordsFailed":3,"recordsSent":2,"label":"x"}""",
            """{"code":"E1","message":"Bad roster","target":"roster","details":[{"code":"x","message":"m1"},{"code":"y","message":"m2"}]}"""),
        ("r2", "2026-01-03T00:00:00Z", """{"recordsFailed":"3","label":"yx"}""", """{"code":"E2","details":[]}"""),
        ("r3", "2026-01-04T00:00:00Z", "{}", """{"code":"E1","details":[{"code":"x"}]}"""),
        ("r4", "2026-01-05T00:00:00Z", """{"recordsFailed":7.5,"ok":true,"perEntity":{"students":12}}""",
            """{"code":"E3","message":"m","details":[{"code":"z","target":"t"},{"code":"x"},{"code":"x"}]}"""),
        ("r5", "2026-01-06T00:00:00Z", """{"recordsFailed":null,"ok":false,"perEntity":{"students":"12"}}""", null),
    ];

    public static async Task<Dictionary<string, string>> CreateAsync(HttpClient client)
    {
        var ids = new Dictionary<string, string>();
        foreach (var (name, start, statistics, error) in Rows)
        {
            var body = RunBodies.Outgoing()
                .With("displayName", name)
                .With("startDateTime", start)
                .With("endDateTime", null)
                .With("statistics", JsonNode.Parse(statistics))
                .With("blockingError", error is null ? null : JsonNode.Parse(error));
            ids[name] = (string)(await client.CreateRunAsync(body))["id"]!;
        }

        return ids;
    }

    /// <summary>The names of the rows for which <paramref name="predicate"/> holds, in name order.</summary>
    public static string[] Where(Func<JsonObject, JsonObject?, bool> predicate) =>
        [.. Rows.Where(row => predicate(JsonNode.Parse(row.Statistics)!.AsObject(), row.BlockingError is null ? null : JsonNode.Parse(row.BlockingError)!.AsObject()))
            .Select(row => row.Name)];

    /// <summary>A member's number, or null when it is missing or holds anything else.</summary>
    public static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.Number ? value.GetValue<double>() : null;

    /// <summary>A member's string, or null when it is missing or holds anything else.</summary>
    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : null;

    public static JsonArray Details(JsonObject? error) => error?["details"] as JsonArray ?? [];
}
