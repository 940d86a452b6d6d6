using System.Text.Json;

namespace IndustryData.OData.Model.Runs;

/// <summary>
/// microsoft.graph.industryData.runStatistics: an open complex type with no declared properties.
/// Members are kept as the JSON the client sent, so numbers, nesting and order survive exactly.
/// </summary>
public sealed class RunStatistics : IOpenJsonMembers
{
    public IDictionary<string, JsonElement> OpenMembers { get; } = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
}
