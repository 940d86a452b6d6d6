using IndustryData.OData.Model.Errors;
using IndustryData.OData.Model.Runs;

namespace IndustryData.OData.Service.Runs;

/// <summary>
/// A validated request body for a run: each property the client sent, already checked on its own.
/// Rules that need the whole run (required properties, endDateTime after startDateTime) are in <see cref="RunRules"/>.
/// </summary>
public sealed class RunPayload
{
    /// <summary>The concrete CLR type named by <c>@odata.type</c>, if the body had one.</summary>
    public Type? DeclaredType { get; set; }

    public string? DeclaredTypeName { get; set; }

    public bool HasId { get; set; }

    public string? Id { get; set; }

    public bool HasDisplayName { get; set; }

    public string? DisplayName { get; set; }

    public bool HasStartDateTime { get; set; }

    public DateTimeOffset? StartDateTime { get; set; }

    public bool HasEndDateTime { get; set; }

    public DateTimeOffset? EndDateTime { get; set; }

    public bool HasStatus { get; set; }

    public RunStatus? Status { get; set; }

    public bool HasBlockingError { get; set; }

    public PublicError? BlockingError { get; set; }

    public bool HasStatistics { get; set; }

    public RunStatistics? Statistics { get; set; }
}
