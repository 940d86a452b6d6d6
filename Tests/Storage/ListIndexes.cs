namespace IndustryData.OData.Tests.Storage;

/// <summary>The indexes each provider must have so that every documented list shape is a seek (docs/scale.md).</summary>
public static class ListIndexes
{
    public static readonly IReadOnlyDictionary<string, string[]> Expected = new Dictionary<string, string[]>
    {
        ["IX_runs_status_id"] = ["status", "id"],
        ["IX_runs_status_startDateTime_id"] = ["status", "startDateTime", "id"],
        ["IX_runs_startDateTime_id"] = ["startDateTime", "id"],
        ["IX_runs_endDateTime_id"] = ["endDateTime", "id"],
        ["IX_runs_displayName_id"] = ["displayName", "id"],
        ["IX_runs_type_id"] = ["type", "id"],
    };
}
