using System.Diagnostics;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.OpenApi;

/// <summary>
/// Kiota straight from the service: the local tool (.config/dotnet-tools.json) generates a C# client from GET /$openapi
/// of the service on Kestrel, bench/KiotaClient builds it and uses it to create an outgoingFlowRun with nested
/// statistics and read it back.
/// </summary>
[NonParallelizable]
public class KiotaClientTests
{
    private string folder = null!;

    [SetUp]
    public void CreateFolder() => folder = Directory.CreateTempSubdirectory("industrydata-kiota-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(folder, recursive: true);

    [Test]
    public async Task A_client_generated_from_the_served_description_creates_and_reads_a_run()
    {
        await using var service = await ServiceProcess.StartAsync(Path.Combine(folder, "runs.db"));
        var repository = RepositoryFiles.PathOf(string.Empty);
        var generated = Path.Combine(folder, "Generated");

        await RunAsync("dotnet", ["tool", "restore"], repository);
        await RunAsync("dotnet", ["kiota", "generate", "--language", "CSharp", "--openapi", new Uri(service.BaseAddress, "$openapi").ToString(),
            "--class-name", "RunsClient", "--namespace-name", "IndustryData.KiotaClient", "--output", generated], repository);
        var id = (await RunAsync("dotnet", ["run", "--project", Path.Combine(repository, "bench", "KiotaClient"), $"-p:GeneratedClient={generated}", "--", service.BaseAddress.ToString(), TestTokens.Write()], repository)).Trim();

        using var client = service.CreateClient();
        using var response = await client.GetAsync($"runs('{id}')");
        var run = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(200), run.ToJsonString());
            Assert.That((string?)run["@odata.type"], Is.EqualTo("#microsoft.graph.industryData.outgoingFlowRun"));
            Assert.That(run["statistics"]!.ToJsonString(), Is.EqualTo("""{"rowsRead":1200,"perEntity":{"students":900,"teachers":287}}"""));
        });
    }

    private static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, string directory)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["DOTNET_NOLOGO"] = "1", ["KIOTA_TUTORIAL_ENABLED"] = "false" },
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        Assert.That(process.ExitCode, Is.Zero, $"{fileName} {string.Join(' ', start.ArgumentList)} failed:\n{await output}\n{await error}");
        return await output;
    }
}
