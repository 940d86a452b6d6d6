using IndustryData.OData.Model.Edm;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Validation;

namespace IndustryData.OData.Tests.Model;

public class EdmModelTests
{
    private static IEdmModel Model => IndustryDataEdm.Model;

    [Test]
    public void Model_validates_without_errors()
    {
        var valid = Model.Validate(out IEnumerable<EdmError> errors);

        Assert.That(valid, Is.True, string.Join("; ", errors));
        Assert.That(errors, Is.Empty);
    }

    [Test]
    public void Run_is_abstract_and_derives_from_graph_entity()
    {
        var run = (IEdmEntityType)Model.FindDeclaredType("microsoft.graph.industryData.run")!;
        var entity = (IEdmEntityType)Model.FindDeclaredType("microsoft.graph.entity")!;

        Assert.Multiple(() =>
        {
            Assert.That(run.IsAbstract, Is.True);
            Assert.That(run.BaseEntityType(), Is.SameAs(entity));
            Assert.That(entity.IsAbstract, Is.True);
            Assert.That(entity.Key().Select(k => k.Name), Is.EqualTo(new[] { "id" }));
        });
    }

    [TestCase("outgoingFlowRun")]
    [TestCase("incomingFlowRun")]
    public void Concrete_runs_derive_from_run_without_extra_properties(string name)
    {
        var type = (IEdmEntityType)Model.FindDeclaredType("microsoft.graph.industryData." + name)!;

        Assert.Multiple(() =>
        {
            Assert.That(type.IsAbstract, Is.False);
            Assert.That(type.BaseEntityType()!.FullName(), Is.EqualTo("microsoft.graph.industryData.run"));
            Assert.That(type.DeclaredProperties, Is.Empty);
        });
    }

    [Test]
    public void Run_declares_the_contract_properties_with_their_types_and_nullability()
    {
        var run = (IEdmEntityType)Model.FindDeclaredType("microsoft.graph.industryData.run")!;
        var actual = run.DeclaredProperties.ToDictionary(p => p.Name, p => (p.Type.FullName(), p.Type.IsNullable));

        Assert.That(actual, Is.EquivalentTo(new Dictionary<string, (string, bool)>
        {
            ["displayName"] = ("Edm.String", false),
            ["startDateTime"] = ("Edm.DateTimeOffset", false),
            ["endDateTime"] = ("Edm.DateTimeOffset", true),
            ["status"] = ("microsoft.graph.industryData.runStatus", false),
            ["blockingError"] = ("microsoft.graph.publicError", true),
            ["statistics"] = ("microsoft.graph.industryData.runStatistics", true),
        }));
    }

    [Test]
    public void RunStatus_has_the_six_members_in_contract_order_with_values_0_to_5()
    {
        var status = (IEdmEnumType)Model.FindDeclaredType("microsoft.graph.industryData.runStatus")!;

        Assert.That(status.Members.Select(m => (m.Name, m.Value.Value)), Is.EqualTo(new[]
        {
            ("running", 0L), ("failed", 1L), ("completed", 2L), ("completedWithErrors", 3L), ("completedWithWarnings", 4L), ("unknownFutureValue", 5L),
        }));
    }

    [Test]
    public void RunStatistics_and_publicInnerError_are_open_and_publicError_is_not()
    {
        Assert.Multiple(() =>
        {
            Assert.That(((IEdmComplexType)Model.FindDeclaredType("microsoft.graph.industryData.runStatistics")!).IsOpen, Is.True);
            Assert.That(((IEdmComplexType)Model.FindDeclaredType("microsoft.graph.publicInnerError")!).IsOpen, Is.True);
            Assert.That(((IEdmComplexType)Model.FindDeclaredType("microsoft.graph.publicError")!).IsOpen, Is.False);
            Assert.That(((IEdmComplexType)Model.FindDeclaredType("microsoft.graph.industryData.runStatistics")!).DeclaredProperties, Is.Empty);
        });
    }

    [Test]
    public void Id_is_computed_and_every_run_property_has_a_description()
    {
        var id = ((IEdmEntityType)Model.FindDeclaredType("microsoft.graph.entity")!).FindProperty("id")!;
        var run = (IEdmEntityType)Model.FindDeclaredType("microsoft.graph.industryData.run")!;

        Assert.Multiple(() =>
        {
            Assert.That(Model.FindVocabularyAnnotations(id).Select(a => a.Term.FullName()), Does.Contain("Org.OData.Core.V1.Computed"));
            foreach (var property in run.DeclaredProperties)
            {
                Assert.That(Model.GetDescriptionAnnotation(property), Is.Not.Null.And.Not.Empty, property.Name);
            }
        });
    }

    [Test]
    public void The_container_has_the_runs_set_of_abstract_run()
    {
        var runs = Model.EntityContainer.FindEntitySet("runs");

        Assert.That(runs.EntityType.FullName(), Is.EqualTo("microsoft.graph.industryData.run"));
    }
}
