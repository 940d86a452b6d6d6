using System.Text.Json.Nodes;
using System.Xml.Linq;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Metadata;

/// <summary>
/// The served $metadata is the contract in edm/: any drift fails here. edm/industryData.csdl.xml is the source of
/// truth; edm/industryData.csdl.json is the service's CSDL JSON rendering of it. After changing the XML, refresh the
/// JSON with: EDM_WRITE_JSON=1 dotnet test --filter FullyQualifiedName~MetadataContractTests
/// </summary>
public class MetadataContractTests : ApiFixture
{
    private static string EdmFile(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "edm", name);

    [Test]
    public async Task Served_xml_metadata_equals_edm_xml()
    {
        Client.DefaultRequestHeaders.Accept.Clear();
        using var response = await Client.GetAsync("$metadata");
        var served = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(200));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/xml"));
            Assert.That(response.Header("OData-Version"), Is.EqualTo("4.0"));
            Assert.That(Canonical(XDocument.Parse(served)), Is.EqualTo(Canonical(XDocument.Load(EdmFile("industryData.csdl.xml")))));
        });
    }

    [TestCase("$metadata?$format=application/json", null)]
    [TestCase("$metadata", "application/json")]
    public async Task Served_json_metadata_equals_edm_json(string url, string? accept)
    {
        Client.DefaultRequestHeaders.Accept.Clear();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        using var response = await Client.SendAsync(request);
        var served = await response.Content.ReadAsStringAsync();
        if (Environment.GetEnvironmentVariable("EDM_WRITE_JSON") == "1")
        {
            var source = Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "../../../../edm/industryData.csdl.json"));
            await File.WriteAllTextAsync(source, JsonNode.Parse(served)!.ToJsonString(new() { WriteIndented = true }) + "\n");
        }

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(200));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(response.Header("OData-Version"), Is.EqualTo("4.0"));
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(served), JsonNode.Parse(File.ReadAllText(EdmFile("industryData.csdl.json")))), Is.True,
                "served CSDL JSON differs from edm/industryData.csdl.json");
        });
    }

    [Test]
    public async Task Service_document_lists_the_runs_entity_set()
    {
        var document = await Client.GetJsonAsync("");

        Assert.Multiple(() =>
        {
            Assert.That((string?)document["@odata.context"], Does.EndWith("/$metadata"));
            Assert.That(document["value"]!.AsArray().Select(set => ((string?)set!["name"], (string?)set["kind"], (string?)set["url"])),
                Is.EqualTo(new[] { ("runs", "EntitySet", "runs"), ("subscriptions", "EntitySet", "subscriptions") }));
        });
    }

    /// <summary>Element tree with insignificant whitespace dropped and attributes in name order.</summary>
    private static string Canonical(XDocument document)
    {
        static XElement Normalize(XElement element) => new(
            element.Name,
            element.Attributes().Where(a => !a.IsNamespaceDeclaration).OrderBy(a => a.Name.ToString(), StringComparer.Ordinal),
            element.Elements().Select(Normalize),
            element.HasElements ? null : element.Value.Trim());

        return Normalize(document.Root!).ToString(SaveOptions.DisableFormatting);
    }
}
