namespace IndustryData.OData.Model.Errors;

/// <summary>microsoft.graph.publicError.</summary>
public sealed class PublicError
{
    public string? Code { get; set; }

    public string? Message { get; set; }

    public string? Target { get; set; }

    public IList<PublicErrorDetail>? Details { get; set; }

    public PublicInnerError? InnerError { get; set; }
}
