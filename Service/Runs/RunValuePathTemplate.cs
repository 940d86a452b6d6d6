using Microsoft.AspNetCore.OData.Routing;
using Microsoft.AspNetCore.OData.Routing.Template;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Runs;

/// <summary>
/// The rest of a path into a complex property of a run (OData URL Conventions §4.6, "Addressing a Property"):
/// blockingError/code, blockingError/details, blockingError/innerError/…, statistics/{member}/{member}…, each
/// optionally ending in /$value (a primitive) or /$count (a collection). Declared properties become property
/// segments; members of an open type (runStatistics, publicInnerError) dynamic segments, whose own members are dynamic
/// too. A path the model cannot have (a member of a primitive, blockingError/nope, $value of a complex) does not match.
/// </summary>
public sealed class RunValuePathTemplate(IEdmStructuralProperty complexProperty) : ODataSegmentTemplate
{
    public const string RouteValue = "valuepath";

    public override IEnumerable<string> GetTemplates(ODataRouteOptions options)
    {
        yield return "/{**" + RouteValue + "}";
    }

    public override bool TryTranslate(ODataTemplateTranslateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.RouteValues.TryGetValue(RouteValue, out var value) || value is not string rest || rest.Length == 0)
        {
            return false;
        }

        var segments = Translate(complexProperty.Type.Definition, rest.Split('/'));
        if (segments is null)
        {
            return false;
        }

        foreach (var segment in segments)
        {
            context.Segments.Add(segment);
        }

        return true;
    }

    /// <summary>The segments for the pieces after a value of <paramref name="type"/> (null: a dynamic value of unknown type).</summary>
    private static List<ODataPathSegment>? Translate(IEdmType? type, string[] pieces)
    {
        var segments = new List<ODataPathSegment>();
        for (var i = 0; i < pieces.Length; i++)
        {
            var piece = pieces[i];
            var last = i == pieces.Length - 1;
            switch (piece)
            {
                case "":
                    return null;
                case "$value" when last && (type is null || type.TypeKind is EdmTypeKind.Primitive or EdmTypeKind.Enum):
                    segments.Add(new ValueSegment(type ?? EdmCoreModel.Instance.GetUntypedType()));
                    return segments;
                case "$count" when last && (type is null || type.TypeKind == EdmTypeKind.Collection):
                    segments.Add(CountSegment.Instance);
                    return segments;
                case "$value" or "$count":
                    return null;
            }

            switch (type)
            {
                case null:
                    segments.Add(new DynamicPathSegment(piece));
                    break;
                case IEdmStructuredType structured when structured.FindProperty(piece) is IEdmStructuralProperty property:
                    segments.Add(new PropertySegment(property));
                    type = property.Type.Definition;
                    break;
                case IEdmStructuredType { IsOpen: true }:
                    segments.Add(new DynamicPathSegment(piece));
                    type = null;
                    break;
                default:
                    return null;
            }
        }

        return segments;
    }
}
