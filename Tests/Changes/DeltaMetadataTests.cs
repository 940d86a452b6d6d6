using System.Xml;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;
using Microsoft.OData.Edm.Vocabularies;

namespace IndustryData.OData.Tests.Changes;

/// <summary>What a client generator reads from $metadata: delta() on runs and on each type cast, and ChangeTracking.</summary>
public class DeltaMetadataTests : ApiFixture
{
    private async Task<IEdmModel> ServedModelAsync()
    {
        using var client = Host.CreateGuardedClient();
        await using var stream = await client.GetStreamAsync("$metadata");
        using var xml = XmlReader.Create(stream);
        return CsdlReader.Parse(xml);
    }

    [TestCase("microsoft.graph.industryData.run")]
    [TestCase("microsoft.graph.industryData.outgoingFlowRun")]
    [TestCase("microsoft.graph.industryData.incomingFlowRun")]
    public async Task Delta_is_a_function_bound_to_the_collection_returning_the_collection(string type)
    {
        var model = await ServedModelAsync();
        var entityType = (IEdmEntityType)model.FindDeclaredType(type);

        var delta = model.FindBoundOperations(new EdmCollectionType(new EdmEntityTypeReference(entityType, false)))
            .OfType<IEdmFunction>().Where(function => function.Name == "delta" && function.Parameters.First().Type.Definition is IEdmCollectionType { ElementType.Definition: var element } && element == entityType)
            .ToList();

        Assert.That(delta, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(delta[0].Parameters.Count(), Is.EqualTo(1), "no parameters but the binding");
            Assert.That(delta[0].GetReturn().Type.Definition, Is.InstanceOf<IEdmCollectionType>());
            Assert.That(((IEdmCollectionType)delta[0].GetReturn().Type.Definition).ElementType.Definition, Is.EqualTo(entityType));
        });
    }

    [Test]
    public async Task Runs_declare_change_tracking_supported()
    {
        var model = await ServedModelAsync();
        var runs = model.EntityContainer.FindEntitySet("runs");

        var annotation = model.FindVocabularyAnnotations(runs).Single(a => a.Term.FullName() == "Org.OData.Capabilities.V1.ChangeTracking");
        var supported = ((IEdmRecordExpression)annotation.Value).Properties.Single(p => p.Name == "Supported").Value;

        Assert.That(((IEdmBooleanConstantExpression)supported).Value, Is.True);
    }
}
