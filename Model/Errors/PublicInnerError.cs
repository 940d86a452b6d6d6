using System.Text.Json;
using IndustryData.OData.Model;

namespace IndustryData.OData.Model.Errors;

/// <summary>microsoft.graph.publicInnerError: open, so extra members are kept as raw JSON.</summary>
public sealed class PublicInnerError : IOpenJsonMembers
{
    public string? Code { get; set; }

    public string? Message { get; set; }

    public string? Target { get; set; }

    public IList<PublicErrorDetail>? Details { get; set; }

    public IDictionary<string, JsonElement> OpenMembers { get; } = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
}
