using System.Text.Json;

namespace IndustryData.OData.Model.Runs;

/// <summary>
/// microsoft.graph.industryData.runStatistics: an open complex type with no declared properties.
/// Members are kept as the JSON the client sent, so numbers, nesting and order survive exactly.
/// A value loaded from storage keeps its stored JSON and parses it into members only when they are asked for:
/// a read that just passes the value on never pays for parsing it.
/// </summary>
public sealed class RunStatistics : IOpenJsonMembers
{
    private readonly string? storedJson;
    private Dictionary<string, JsonElement>? members;

    public RunStatistics()
    {
    }

    private RunStatistics(string storedJson) => this.storedJson = storedJson;

    public IDictionary<string, JsonElement> OpenMembers => members ??= Parse(storedJson);

    /// <summary>The stored JSON object, as long as nothing has asked for (and so possibly changed) the members since.</summary>
    public string? UnchangedStoredJson => members is null ? storedJson : null;

    /// <summary>A value read from storage: <paramref name="json"/> must be the JSON object the store holds.</summary>
    public static RunStatistics FromStoredJson(string json) => new(json);

    private static Dictionary<string, JsonElement> Parse(string? json)
    {
        var parsed = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (json is not null)
        {
            foreach (var member in JsonElement.Parse(json).EnumerateObject())
            {
                parsed[member.Name] = member.Value;
            }
        }

        return parsed;
    }
}
