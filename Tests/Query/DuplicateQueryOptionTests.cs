using System.Net;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Query;

/// <summary>A system query option must not be specified more than once (OData 4.01 URL Conventions §5): 400 naming it.</summary>
public sealed class DuplicateQueryOptionTests : ApiFixture
{
    [TestCase("runs?$orderby=displayName&$orderby=", "$orderby")]
    [TestCase("runs?$orderby=displayName&$orderby=status", "$orderby")]
    [TestCase("runs?$filter=status eq 'failed'&$filter=status eq 'running'", "$filter")]
    [TestCase("runs?$select=displayName&$select=status", "$select")]
    [TestCase("runs?$top=1&$top=2", "$top")]
    [TestCase("runs?$skip=1&$skip=1", "$skip")]
    [TestCase("runs?$count=true&$count=true", "$count")]
    [TestCase("runs?$format=application/json&$format=application/json", "$format")]
    [TestCase("runs?$top=1&$TOP=2", "$top")]
    [TestCase("runs?top=1&$top=1", "$top")]
    [TestCase("runs/$count?$filter=status eq 'failed'&$filter=status eq 'failed'", "$filter")]
    [TestCase("runs/microsoft.graph.industryData.outgoingFlowRun?$orderby=status&$orderby=status", "$orderby")]
    [TestCase("runs('{id}')?$select=displayName&$select=status", "$select")]
    [TestCase("runs('{id}')/displayName?$format=application/json&$format=application/json", "$format")]
    [TestCase("$metadata?$format=application/json&$format=application/xml", "$format")]
    public async Task A_system_query_option_given_twice_is_a_400_naming_it(string url, string option)
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;

        using var response = await Client.GetAsync(url.Replace("{id}", id, StringComparison.Ordinal));

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "duplicateQueryOption", option);
        Assert.That((string?)error["message"], Does.Contain(option).And.Contain("once"));
    }

    [Test]
    public async Task A_custom_query_option_may_repeat()
    {
        using var response = await Client.GetAsync("runs?tag=a&tag=b");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }
}
