using System.Text.Json.Nodes;

namespace IndustryData.OData.Tests.Infrastructure;

/// <summary>Request bodies with sensible defaults; tests change only what they are about.</summary>
public static class RunBodies
{
    public const string OutgoingType = "#microsoft.graph.industryData.outgoingFlowRun";
    public const string IncomingType = "#microsoft.graph.industryData.incomingFlowRun";

    public static JsonObject Outgoing() => Run(OutgoingType);

    public static JsonObject Incoming() => Run(IncomingType);

    /// <summary>The API page's example with real values in place of its placeholders.</summary>
    public static JsonObject ApiPageExample() => new()
    {
        ["@odata.type"] = OutgoingType,
        ["displayName"] = "Nightly roster export",
        ["startDateTime"] = "2026-01-31T09:30:00Z",
        ["endDateTime"] = "2026-01-31T09:42:10Z",
        ["status"] = "completed",
        ["statistics"] = new JsonObject { ["@odata.type"] = "microsoft.graph.industryData.runStatistics" },
    };

    public static JsonObject Run(string? type) => new()
    {
        ["@odata.type"] = type,
        ["displayName"] = "Nightly export",
        ["startDateTime"] = "2026-01-31T09:30:00Z",
        ["endDateTime"] = "2026-01-31T10:00:00Z",
        ["status"] = "completed",
        ["statistics"] = new JsonObject { ["rowsRead"] = 1200, ["rowsWritten"] = 1187 },
    };

    public static JsonObject With(this JsonObject body, string name, JsonNode? value)
    {
        body[name] = value;
        return body;
    }

    public static JsonObject Without(this JsonObject body, string name)
    {
        body.Remove(name);
        return body;
    }
}
