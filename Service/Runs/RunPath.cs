using IndustryData.OData.Model.Edm;
using IndustryData.OData.Model.Runs;
using Microsoft.OData.Edm;
using Microsoft.OData.ModelBuilder;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Runs;

/// <summary>What a URL of one run addresses, read from the OData path the routing built (see <see cref="RunRoutingConvention"/>).</summary>
public static class RunPath
{
    /// <summary>The type the URL casts the run to (runs('…')/{cast} or runs/{cast}('…')), else <see cref="Run"/>.</summary>
    public static Type CastType(ODataPath path) =>
        path.OfType<TypeSegment>().LastOrDefault()?.EdmType.AsElementType() is IEdmSchemaType cast
            ? ClrType(cast)
            : typeof(Run);

    /// <summary>The value of the property the URL ends in (runs('…')/{property} or …/{property}/$value).</summary>
    public static object? PropertyValue(ODataPath path, Run run)
    {
        var property = path.OfType<PropertySegment>().Single().Property;
        var clrProperty = IndustryDataEdm.Model.GetAnnotationValue<ClrPropertyInfoAnnotation>(property)?.ClrPropertyInfo
            ?? throw new InvalidOperationException($"The property '{property.Name}' has no CLR property.");
        return clrProperty.GetValue(run);
    }

    public static bool IsRawValue(ODataPath path) => path.LastSegment is ValueSegment;

    private static Type ClrType(IEdmSchemaType type) =>
        IndustryDataEdm.Model.GetAnnotationValue<ClrTypeAnnotation>(type)?.ClrType
        ?? throw new InvalidOperationException($"The type '{type.FullName()}' has no CLR type.");
}
