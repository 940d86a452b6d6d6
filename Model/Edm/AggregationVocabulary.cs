using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Vocabularies;

namespace IndustryData.OData.Model.Edm;

/// <summary>
/// The part of the OASIS Aggregation vocabulary (Org.OData.Aggregation.V1) that edm/ uses: the ApplySupported term and
/// its types. The OData library knows Core and Capabilities but not this vocabulary; without it the CSDL reader cannot
/// resolve Aggregation.RollupType/None. Only reading needs it: the service serves edm/ as written.
/// </summary>
public static class AggregationVocabulary
{
    public const string Namespace = "Org.OData.Aggregation.V1";

    public static IEdmModel Model { get; } = Build();

    private static EdmModel Build()
    {
        var model = new EdmModel();
        var rollup = new EdmEnumType(Namespace, "RollupType");
        rollup.AddMember("None", new EdmEnumMemberValue(0));
        rollup.AddMember("SingleHierarchy", new EdmEnumMemberValue(1));
        rollup.AddMember("MultipleHierarchies", new EdmEnumMemberValue(2));
        model.AddElement(rollup);

        var strings = EdmCoreModel.GetCollection(EdmCoreModel.Instance.GetString(isNullable: false));
        var paths = EdmCoreModel.GetCollection(new EdmPathTypeReference(EdmCoreModel.Instance.GetPathType(EdmPathTypeKind.PropertyPath), isNullable: false));
        var applySupported = new EdmComplexType(Namespace, "ApplySupportedType");
        applySupported.AddStructuralProperty("Transformations", strings);
        applySupported.AddStructuralProperty("CustomAggregationMethods", strings);
        applySupported.AddStructuralProperty("Rollup", new EdmEnumTypeReference(rollup, isNullable: false));
        applySupported.AddStructuralProperty("PropertyRestrictions", EdmCoreModel.Instance.GetBoolean(isNullable: false));
        applySupported.AddStructuralProperty("From", EdmCoreModel.Instance.GetBoolean(isNullable: false));
        applySupported.AddStructuralProperty("GroupableProperties", paths);
        applySupported.AddStructuralProperty("AggregatableProperties", paths);
        model.AddElement(applySupported);
        model.AddElement(new EdmTerm(Namespace, "ApplySupported", new EdmComplexTypeReference(applySupported, isNullable: true), "EntitySet ComplexType EntityContainer"));
        return model;
    }
}
