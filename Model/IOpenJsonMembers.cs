using System.Text.Json;

namespace IndustryData.OData.Model;

/// <summary>A value of an open type: the members beyond its declared properties, as raw JSON.</summary>
public interface IOpenJsonMembers
{
    IDictionary<string, JsonElement> OpenMembers { get; }
}
