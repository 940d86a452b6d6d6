using Microsoft.OData.Edm;

namespace IndustryData.OData.Service.Serialization;

internal static class StructuredTypeExtensions
{
    public static bool InheritsFromOrIs(this IEdmStructuredType type, IEdmType candidate) =>
        candidate is IEdmStructuredType structured && (type == structured || type.InheritsFrom(structured));
}
