using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// Runs for the $apply tests: both types, every status but one, errors with and without a code, statistics members that
/// hold numbers, a number written as a string, a nested object and a word. Tests compute each expected aggregate from
/// these rows with LINQ, never through the service's code.
/// </summary>
public static class ApplyRuns
{
    public sealed record Row(string Name, bool Outgoing, string Status, DateTimeOffset Start, string? ErrorCode, bool HasError, string Statistics)
    {
        public JsonObject Stats => JsonNode.Parse(Statistics)!.AsObject();

        /// <summary>The member's value when it is a JSON number (OData: a string is not a number).</summary>
        public double? Number(string member) =>
            Stats[member] is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? value.GetValue<double>() : null;
    }

    public static readonly Row[] Rows =
    [
        new("A", true, "completed", Utc("2025-12-31T23:00:00Z"), null, false, """{"recordsSent":10,"recordsFailed":0,"source":"erp"}"""),
        new("B", false, "completed", Utc("2026-01-05T10:00:00Z"), null, false, """{"recordsSent":20.5,"recordsFailed":1}"""),
        new("C", true, "failed", Utc("2026-01-06T08:00:00Z"), "timeout", true, """{"recordsSent":5,"recordsFailed":"3","nested":{"x":2}}"""),
        new("D", false, "failed", Utc("2026-02-01T00:00:00Z"), "timeout", true, """{"recordsSent":7,"nested":{"x":3}}"""),
        new("E", true, "failed", Utc("2026-02-02T12:30:00Z"), null, true, """{}"""),
        new("F", true, "running", Utc("2026-03-01T06:00:00Z"), null, false, """{"recordsSent":"many"}"""),
        new("G", false, "completedWithErrors", Utc("2024-06-01T00:00:00Z"), "quota", true, """{"recordsSent":100,"recordsFailed":4,"source":"erp"}"""),
        new("H", true, "completed", Utc("2026-01-20T15:00:00Z"), null, false, """{"recordsSent":1,"source":"crm"}"""),
    ];

    public static async Task CreateAsync(HttpClient client)
    {
        foreach (var row in Rows)
        {
            var body = RunBodies.Run(row.Outgoing ? RunBodies.OutgoingType : RunBodies.IncomingType)
                .With("displayName", "Run " + row.Name)
                .With("startDateTime", row.Start.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))
                .With("endDateTime", null)
                .With("status", row.Status)
                .With("statistics", row.Stats);
            if (row.HasError)
            {
                body["blockingError"] = row.ErrorCode is null ? new JsonObject { ["message"] = "no code" } : new JsonObject { ["code"] = row.ErrorCode, ["message"] = "m" };
            }

            await client.CreateRunAsync(body);
        }
    }

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
