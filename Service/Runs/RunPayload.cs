using IndustryData.OData.Model.Errors;
using IndustryData.OData.Model.Runs;

namespace IndustryData.OData.Service.Runs;

/// <summary>
/// A request body for a run: each property the client sent, already checked on its own, and the faults found doing so.
/// Rules that need the whole run (required properties, endDateTime after startDateTime) are in <see cref="RunRules"/>,
/// which answers the faults of both together.
/// </summary>
public sealed class RunPayload
{
    /// <summary>What was wrong with the properties sent; a property at fault keeps its default value here.</summary>
    public RunFaults Faults { get; } = new();

    /// <summary>Whether the body had <c>@odata.type</c> at all (a valid one or not).</summary>
    public bool HasDeclaredType { get; set; }

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
