using System.Text.Json.Nodes;

namespace IndustryData.OData.Tests.Reliability;

/// <summary>A run read back later must say exactly what the 201 said when it was created.</summary>
public static class StoredRunAssert
{
    private static readonly string[] Compared = ["@odata.type", "@odata.etag", "id", "displayName", "startDateTime", "endDateTime", "status", "blockingError", "statistics"];

    /// <summary>The properties that differ, empty when the stored run is intact.</summary>
    public static IEnumerable<string> Differences(JsonObject acknowledged, JsonObject? stored)
    {
        if (stored is null)
        {
            yield return $"{acknowledged["id"]} is missing";
            yield break;
        }

        foreach (var name in Compared)
        {
            if (!JsonNode.DeepEquals(acknowledged[name], stored[name]))
            {
                yield return $"{acknowledged["id"]}: {name} was {acknowledged[name]?.ToJsonString()} in the 201, now {stored[name]?.ToJsonString()}";
            }
        }
    }
}
