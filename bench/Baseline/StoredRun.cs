namespace IndustryData.OData.Bench.Baseline;

/// <summary>One row of the runs table, with the values the response needs.</summary>
internal sealed record StoredRun(
    string Id,
    string Type,
    string DisplayName,
    DateTime StartDateTime,
    DateTime? EndDateTime,
    int Status,
    string? BlockingError,
    string Statistics,
    long Version);
