using IndustryData.OData.Model;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Querying;
using IndustryData.OData.Service.Runs;
using Microsoft.AspNetCore.OData.Formatter;
using Microsoft.AspNetCore.OData.Formatter.Serialization;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Serialization;

/// <summary>
/// The stock resource serializer, plus the two things our model needs from it:
/// open members (statistics, innerError) written back as the exact JSON the client sent, and
/// the ETag of a run, which comes from its hidden version rather than from an EDM property.
/// </summary>
public sealed class RunResourceSerializer(IODataSerializerProvider serializerProvider) : ODataResourceSerializer(serializerProvider)
{
    /// <summary>
    /// Every run carries its concrete @odata.type (contract §4, Graph style), even where minimal metadata would leave
    /// it implied by the context URL, e.g. after POST to a type-cast segment.
    /// </summary>
    public override ODataResource CreateResource(SelectExpandNode selectExpandNode, ResourceContext resourceContext)
    {
        var resource = base.CreateResource(selectExpandNode, resourceContext);
        if (resource is not null && resourceContext.ResourceInstance is Run && resourceContext.SerializerContext.MetadataLevel != ODataMetadataLevel.None)
        {
            resource.TypeAnnotation = new ODataTypeAnnotation(resource.TypeName);
        }

        return resource!;
    }

    /// <summary>
    /// $select=ns.outgoingFlowRun/displayName selects displayName on outgoing runs only (OData URL conventions §5.1.3);
    /// the stock node applies it to every run because the property is declared on the base type.
    /// </summary>
    public override SelectExpandNode CreateSelectExpandNode(ResourceContext resourceContext)
    {
        var node = base.CreateSelectExpandNode(resourceContext);
        var clause = resourceContext.SerializerContext.SelectExpandClause;
        if (node is not null && resourceContext.ResourceInstance is Run && ComputedProperties.Of(resourceContext.Request) is { } computed)
        {
            foreach (var alias in ComputedOutput.Selected(computed, clause))
            {
                node.SelectedComputedProperties.Add(alias);
                node.SelectedDynamicProperties?.Remove(alias);
            }
        }

        if (node is null || clause is null || clause.AllSelected || node.SelectedStructuralProperties is null)
        {
            return node!;
        }

        var applicable = new HashSet<string>(StringComparer.Ordinal);
        var inapplicable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in clause.SelectedItems.OfType<PathSelectItem>())
        {
            var segments = item.SelectedPath.ToList();
            var forThisType = segments[0] is not TypeSegment cast || resourceContext.StructuredType.InheritsFromOrIs(cast.EdmType);
            (forThisType ? applicable : inapplicable).Add(segments[^1].Identifier);
        }

        foreach (var property in node.SelectedStructuralProperties.Where(p => inapplicable.Contains(p.Name) && !applicable.Contains(p.Name)).ToList())
        {
            node.SelectedStructuralProperties.Remove(property);
        }

        return node;
    }

    public override void AppendDynamicProperties(ODataResource resource, SelectExpandNode selectExpandNode, ResourceContext resourceContext)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(selectExpandNode);
        ArgumentNullException.ThrowIfNull(resourceContext);
        if (resourceContext.ResourceInstance is not IOpenJsonMembers open)
        {
            base.AppendDynamicProperties(resource, selectExpandNode, resourceContext);
            return;
        }

        var selected = selectExpandNode.SelectedDynamicProperties;
        var members = open.OpenMembers
            .Where(member => selected is null || selected.Contains(member.Key))
            .Select(member => new ODataProperty { Name = member.Key, Value = new ODataUntypedValue { RawValue = member.Value.GetRawText() } })
            .ToList();
        if (members.Count > 0)
        {
            resource.Properties = resource.Properties.Concat(members).ToList();
        }
    }

    /// <summary>A property of $compute: its value was read with the run (<see cref="ComputedProperties"/>).</summary>
    public override ODataProperty CreateComputedProperty(string propertyName, ResourceContext resourceContext)
    {
        ArgumentNullException.ThrowIfNull(resourceContext);
        if (resourceContext.ResourceInstance is Run run && ComputedProperties.Of(resourceContext.Request) is { } computed && computed.Find(propertyName) is { } property)
        {
            return ComputedOutput.Property(property, computed.ValuesOf(run)?[computed.IndexOf(property)]);
        }

        return base.CreateComputedProperty(propertyName, resourceContext);
    }

    public override string CreateETag(ResourceContext resourceContext)
    {
        ArgumentNullException.ThrowIfNull(resourceContext);
        return resourceContext.ResourceInstance is Run run ? RunETags.For(run) : base.CreateETag(resourceContext);
    }
}
