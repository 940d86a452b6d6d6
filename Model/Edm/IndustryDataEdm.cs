using System.Xml;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;
using Microsoft.OData.Edm.Validation;

namespace IndustryData.OData.Model.Edm;

/// <summary>
/// The EDM, loaded from the CSDL in edm/ (compiled in as a resource) and bound to the CLR types.
/// edm/industryData.csdl.xml is the single source of truth: nothing here declares types.
/// </summary>
public static class IndustryDataEdm
{
    public const string GraphNamespace = "microsoft.graph";
    public const string Namespace = "microsoft.graph.industryData";
    public const string RunTypeName = Namespace + ".run";
    public const string OutgoingFlowRunTypeName = Namespace + ".outgoingFlowRun";
    public const string IncomingFlowRunTypeName = Namespace + ".incomingFlowRun";
    public const string RunStatisticsTypeName = Namespace + ".runStatistics";
    public const string RunStatusTypeName = Namespace + ".runStatus";
    public const string PublicErrorTypeName = GraphNamespace + ".publicError";
    public const string RunsEntitySetName = "runs";
    public const string SubscriptionTypeName = GraphNamespace + ".subscription";
    public const string SubscriptionsEntitySetName = "subscriptions";

    private const string CsdlResourceName = "industryData.csdl.xml";

    private static readonly Lazy<IEdmModel> LazyModel = new(Load);

    /// <summary>The model, validated and bound to the CLR types; built once per process.</summary>
    public static IEdmModel Model => LazyModel.Value;

    /// <summary>The CSDL text exactly as compiled in from edm/.</summary>
    public static string ReadCsdl()
    {
        using var stream = OpenCsdl();
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static IEdmModel Load()
    {
        using var stream = OpenCsdl();
        using var xml = XmlReader.Create(stream);
        if (!CsdlReader.TryParse(xml, [AggregationVocabulary.Model], out IEdmModel model, out IEnumerable<EdmError> parseErrors))
        {
            throw new InvalidOperationException("edm/industryData.csdl.xml does not parse: " + string.Join("; ", parseErrors));
        }

        if (!model.Validate(out IEnumerable<EdmError> validationErrors))
        {
            throw new InvalidOperationException("edm/industryData.csdl.xml is not a valid model: " + string.Join("; ", validationErrors));
        }

        ClrBinding.Bind(model);
        return model;
    }

    private static Stream OpenCsdl() =>
        typeof(IndustryDataEdm).Assembly.GetManifestResourceStream(CsdlResourceName)
        ?? throw new InvalidOperationException($"The CSDL resource '{CsdlResourceName}' is missing from the Model assembly.");
}
