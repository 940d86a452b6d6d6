namespace IndustryData.OData.Model.Runs;

/// <summary>microsoft.graph.entity: the abstract base of every Graph entity.</summary>
public abstract class Entity
{
    public string Id { get; set; } = string.Empty;
}
