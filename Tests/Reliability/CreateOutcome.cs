using System.Text.Json.Nodes;

namespace IndustryData.OData.Tests.Reliability;

/// <summary>
/// One create request of a load run: what was sent and what came back. <see cref="Status"/> is null when no
/// response arrived (connection refused or reset); <see cref="Error"/> says why, or that the body was cut short.
/// <see cref="Started"/> and <see cref="Finished"/> are <see cref="System.Diagnostics.Stopwatch"/> timestamps.
/// </summary>
public sealed record CreateOutcome(JsonObject Sent, int? Status, JsonObject? Body, string? Error, long Started, long Finished)
{
    public TimeSpan Latency => System.Diagnostics.Stopwatch.GetElapsedTime(Started, Finished);

    /// <summary>A 201 whose body arrived whole: the service promised this run is stored.</summary>
    public bool Acknowledged => Status == 201 && Body is not null && Error is null;

    public string? Id => (string?)Body?["id"];
}
