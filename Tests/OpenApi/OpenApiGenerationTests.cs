using System.Diagnostics;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.OpenApi;

/// <summary>
/// edm/industryData.openapi.json is what edm/openapi/generate.js makes from edm/industryData.csdl.xml with the pinned
/// converter (npm ci from package-lock.json). Any difference fails; refresh with: cd edm/openapi &amp;&amp; npm ci &amp;&amp; node generate.js
/// </summary>
[NonParallelizable]
public class OpenApiGenerationTests
{
    private string workspace = null!;

    [OneTimeSetUp]
    public async Task InstallConverterAsync()
    {
        if (!await ToolExistsAsync("npm"))
        {
            const string reason = "Node.js 20 and npm are needed to regenerate the OpenAPI description (apt-get install -y nodejs npm).";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                Assert.Fail(reason);
            }

            Assert.Ignore(reason);
        }

        // A copy of edm/ (the CSDL beside the script, as in the repository) so a test can change the CSDL freely.
        workspace = Path.Combine(Path.GetTempPath(), "industrydata-openapi-" + Guid.NewGuid().ToString("N"));
        var tool = Directory.CreateDirectory(Path.Combine(workspace, "edm", "openapi")).FullName;
        foreach (var file in new[] { "package.json", "package-lock.json", "generate.js" })
        {
            File.Copy(RepositoryFiles.PathOf(Path.Combine("edm", "openapi", file)), Path.Combine(tool, file));
        }

        await RunAsync("npm", "ci --no-audit --no-fund --ignore-scripts", tool);
    }

    [OneTimeTearDown]
    public void RemoveWorkspace()
    {
        if (workspace is not null && Directory.Exists(workspace))
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    [Test]
    public async Task Committed_description_is_what_the_pinned_converter_makes_from_the_csdl()
    {
        var generated = await GenerateAsync(File.ReadAllText(RepositoryFiles.PathOf("edm/industryData.csdl.xml")));
        var committed = File.ReadAllText(RepositoryFiles.PathOf("edm/industryData.openapi.json")).ReplaceLineEndings("\n");

        Assert.That(generated, Is.EqualTo(committed),
            "edm/industryData.openapi.json is not what edm/openapi/generate.js makes from edm/industryData.csdl.xml: run `cd edm/openapi && npm ci && node generate.js` and commit the result");
    }

    [Test]
    public async Task Adjustments_follow_the_csdl_when_it_changes()
    {
        // A new concrete type and a bound function (like delta()): the adjustments must pick both up by themselves. The names
        // are made up so that they never clash with what the real CSDL declares.
        var csdl = File.ReadAllText(RepositoryFiles.PathOf("edm/industryData.csdl.xml")).Replace(
            "<ComplexType Name=\"runStatistics\"",
            """
            <EntityType Name="inboundFileRun" BaseType="microsoft.graph.industryData.run" />
                  <Function Name="syntheticChanges" IsBound="true">
                    <Parameter Name="bindingParameter" Type="Collection(microsoft.graph.industryData.run)" />
                    <ReturnType Type="Collection(microsoft.graph.industryData.run)" />
                  </Function>
                  <ComplexType Name="runStatistics"
            """,
            StringComparison.Ordinal);
        var document = JsonNode.Parse(await GenerateAsync(csdl))!.AsObject();

        var create = document["components"]!["schemas"]!["microsoft.graph.industryData.run-create"]!;
        var function = document["paths"]!.AsObject().Single(path => path.Key.Contains("syntheticChanges", StringComparison.Ordinal)).Value!["get"]!;
        Assert.Multiple(() =>
        {
            Assert.That(create["oneOf"]!.AsArray().Select(item => (string?)item!["$ref"]),
                Does.Contain("#/components/schemas/microsoft.graph.industryData.inboundFileRun-create"));
            Assert.That((string?)create["discriminator"]!["mapping"]!["#microsoft.graph.industryData.inboundFileRun"],
                Is.EqualTo("#/components/schemas/microsoft.graph.industryData.inboundFileRun-create"));
            Assert.That(document["components"]!["schemas"]!["microsoft.graph.industryData.inboundFileRun-create"]!["required"]!.AsArray().Select(n => (string?)n),
                Does.Contain("@odata.type").And.Contain("displayName"));
            Assert.That(function["security"]!.ToJsonString(), Does.Contain("IndustryData-Run.Read.All"));
            Assert.That(function["responses"]!["5XX"], Is.Not.Null);
        });
    }

    private async Task<string> GenerateAsync(string csdl)
    {
        await File.WriteAllTextAsync(Path.Combine(workspace, "edm", "industryData.csdl.xml"), csdl);
        var output = Path.Combine(workspace, "edm", "industryData.openapi.json");
        File.Delete(output);
        await RunAsync("node", "generate.js", Path.Combine(workspace, "edm", "openapi"));
        return (await File.ReadAllTextAsync(output)).ReplaceLineEndings("\n");
    }

    private static async Task<bool> ToolExistsAsync(string tool)
    {
        try
        {
            await RunAsync(tool, "--version", Path.GetTempPath());
            return true;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static async Task RunAsync(string fileName, string arguments, string directory)
    {
        using var process = Process.Start(new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        Assert.That(process.ExitCode, Is.Zero, $"{fileName} {arguments} failed:\n{await output}\n{await error}");
    }
}
