using System.Reflection;
using IndustryData.OData.Model.Errors;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Model.Subscriptions;
using Microsoft.OData.Edm;
using Microsoft.OData.ModelBuilder;

namespace IndustryData.OData.Model.Edm;

/// <summary>
/// Ties each EDM type, property and enum member to its CLR counterpart, so the OData stack can
/// translate queries and serialize results. EDM names are lower camel case; CLR names are Pascal case.
/// Any EDM element without a CLR counterpart fails here, at start-up, rather than on some request.
/// </summary>
internal static class ClrBinding
{
    private static readonly IReadOnlyDictionary<string, Type> ClrTypes = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["microsoft.graph.entity"] = typeof(Entity),
        ["microsoft.graph.publicError"] = typeof(PublicError),
        ["microsoft.graph.publicErrorDetail"] = typeof(PublicErrorDetail),
        ["microsoft.graph.publicInnerError"] = typeof(PublicInnerError),
        [IndustryDataEdm.RunTypeName] = typeof(Run),
        [IndustryDataEdm.OutgoingFlowRunTypeName] = typeof(OutgoingFlowRun),
        [IndustryDataEdm.IncomingFlowRunTypeName] = typeof(IncomingFlowRun),
        [IndustryDataEdm.RunStatisticsTypeName] = typeof(RunStatistics),
        [IndustryDataEdm.RunStatusTypeName] = typeof(RunStatus),
        [IndustryDataEdm.SubscriptionTypeName] = typeof(Subscription),
    };

    public static void Bind(IEdmModel model)
    {
        foreach (var schemaType in model.SchemaElements.OfType<IEdmSchemaType>())
        {
            if (!ClrTypes.TryGetValue(schemaType.FullName(), out var clrType))
            {
                throw new InvalidOperationException($"The EDM type '{schemaType.FullName()}' has no CLR type.");
            }

            model.SetAnnotationValue(schemaType, new ClrTypeAnnotation(clrType));
            switch (schemaType)
            {
                case IEdmStructuredType structured:
                    BindProperties(model, structured, clrType);
                    break;
                case IEdmEnumType enumType:
                    BindEnumMembers(model, enumType, clrType);
                    break;
            }
        }
    }

    private static void BindProperties(IEdmModel model, IEdmStructuredType structured, Type clrType)
    {
        foreach (var property in structured.DeclaredProperties)
        {
            var clrProperty = clrType.GetProperty(property.Name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase | BindingFlags.DeclaredOnly)
                ?? throw new InvalidOperationException($"The EDM property '{structured.FullTypeName()}/{property.Name}' has no CLR property on {clrType.Name}.");
            model.SetAnnotationValue(property, new ClrPropertyInfoAnnotation(clrProperty));
        }
    }

    private static void BindEnumMembers(IEdmModel model, IEdmEnumType enumType, Type clrType)
    {
        var map = new Dictionary<Enum, IEdmEnumMember>();
        foreach (var member in enumType.Members)
        {
            if (!Enum.TryParse(clrType, member.Name, ignoreCase: true, out var clrValue) || clrValue is not Enum clrMember)
            {
                throw new InvalidOperationException($"The EDM enum member '{enumType.FullName()}/{member.Name}' has no CLR member.");
            }

            if (Convert.ToInt64(clrMember, System.Globalization.CultureInfo.InvariantCulture) != member.Value.Value)
            {
                throw new InvalidOperationException($"The EDM enum member '{enumType.FullName()}/{member.Name}' has a different value from its CLR member.");
            }

            map[clrMember] = member;
        }

        model.SetAnnotationValue(enumType, new ClrEnumMemberAnnotation(map));
    }
}
