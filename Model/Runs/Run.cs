using IndustryData.OData.Model.Errors;

namespace IndustryData.OData.Model.Runs;

/// <summary>microsoft.graph.industryData.run: abstract; every stored run is one of its derived types.</summary>
public abstract class Run : Entity
{
    public string DisplayName { get; set; } = string.Empty;

    public DateTimeOffset StartDateTime { get; set; }

    public DateTimeOffset? EndDateTime { get; set; }

    public RunStatus Status { get; set; }

    public PublicError? BlockingError { get; set; }

    public RunStatistics Statistics { get; set; } = new();

    /// <summary>
    /// Optimistic-concurrency version, not part of the EDM: it surfaces only as the entity's ETag.
    /// </summary>
    public long Version { get; set; }
}
