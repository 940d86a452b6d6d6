namespace IndustryData.OData.Model.Errors;

/// <summary>microsoft.graph.publicErrorDetail.</summary>
public sealed class PublicErrorDetail
{
    public string? Code { get; set; }

    public string? Message { get; set; }

    public string? Target { get; set; }
}
