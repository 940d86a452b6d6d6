using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IndustryData.OData.Service.Storage;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Microsoft.Playwright.NUnit;

namespace IndustryData.OData.Tests.OpenApi;

/// <summary>
/// A person's walk through the API page, in Debian's Chromium driven by Playwright, against the service on Kestrel:
/// paste a token, send the page's create example (201, and the run is in the database), send a bad create (400 in
/// the error shape). Any console error, failed request or request that leaves this machine fails the test.
/// Screenshots go to TestResults/ApiPage under the test output folder.
/// </summary>
[NonParallelizable]
public class ApiPageBrowserTests : PlaywrightTest
{
    private const string Chromium = "/usr/bin/chromium";

    private readonly List<string> problems = [];
    private string? expectedFailure;
    private string? folder;

    [SetUp]
    public void RequireChromium()
    {
        if (File.Exists(Chromium))
        {
            return;
        }

        // Playwright's own browser download is not used: the test drives the distribution's Chromium.
        var reason = $"Chromium is not installed at {Chromium}: install it with `sudo apt-get install -y chromium` (Debian/Ubuntu) to run the API page browser test.";
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail(reason + " In CI, .ci/run installs it.");
        }

        Assert.Ignore(reason);
    }

    [Test]
    public async Task A_person_authorizes_sends_the_create_example_and_sees_the_201_then_a_400()
    {
        folder = Directory.CreateTempSubdirectory("industrydata-api-page-").FullName;
        var databaseFile = Path.Combine(folder, "runs.db");
        await using var service = await ServiceProcess.StartAsync(databaseFile, new Dictionary<string, string?> { ["ApiPage:Enabled"] = "true" });
        await using var browser = await BrowserType.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1200 } });
        Watch(page, service.BaseAddress);

        await page.GotoAsync(new Uri(service.BaseAddress, "docs").ToString());
        var create = page.Locator(".opblock-post").Filter(new() { Has = page.Locator(".opblock-summary-path", new() { HasTextString = "/runs" }) }).First;
        await Expect(create).ToBeVisibleAsync();

        // Authorize: the bearer scheme's dialog takes the token.
        await page.Locator(".auth-wrapper button.authorize").ClickAsync();
        await page.Locator(".modal-ux input").FillAsync(TestTokens.Write());
        await page.Locator(".modal-ux button.authorize").ClickAsync();
        await page.Locator(".modal-ux button.btn-done").ClickAsync();

        // The create operation shows the API page's example; send it as it is.
        await create.Locator(".opblock-summary").ClickAsync();
        var body = create.Locator("textarea.body-param__text");
        await Expect(body).ToHaveValueAsync(new Regex("Nightly roster export"));
        await create.Locator("button.execute").ClickAsync();
        var status = create.Locator(".live-responses-table tr.response td.response-col_status").First;
        await Expect(status).ToHaveTextAsync(new Regex("^201"));
        var created = JsonNode.Parse(await create.Locator(".live-responses-table tr.response td.response-col_description .highlight-code pre").First.InnerTextAsync())!;
        await ScreenshotAsync(page, status, "create-201.png");

        var stored = StoredRun(databaseFile, (string)created["id"]!);
        Assert.That(stored, Is.EqualTo(("outgoingFlowRun", "Nightly roster export")), "the run the page created is in the database");

        // A bad create: the page shows the 400 and Graph's error shape.
        expectedFailure = new Uri(service.BaseAddress, "runs").ToString();
        await create.Locator("button.btn-clear").ClickAsync();
        await body.FillAsync(RunBodies.Outgoing().With("status", "Completed").ToJsonString());
        await create.Locator("button.execute").ClickAsync();
        await Expect(status).ToHaveTextAsync(new Regex("^400"));
        var error = JsonNode.Parse(await create.Locator(".live-responses-table tr.response td.response-col_description .highlight-code pre").First.InnerTextAsync())!["error"]!;
        await ScreenshotAsync(page, status, "create-400.png");

        Assert.Multiple(() =>
        {
            Assert.That((string?)error["code"], Is.EqualTo("badRequest"));
            Assert.That((string?)error["innerError"]!["code"], Is.EqualTo("invalidEnumValue"));
            Assert.That((string?)error["target"], Is.EqualTo("status"));
            Assert.That(StoredRunCount(databaseFile), Is.EqualTo(1), "nothing stored by the bad create");
            Assert.That(problems, Is.Empty, "console errors, failed requests or requests leaving this machine");
        });
    }

    [TearDown]
    public void RemoveDatabase()
    {
        if (folder is not null && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Records every console error, page error, failed request and request to anywhere but the service.</summary>
    private void Watch(IPage page, Uri service)
    {
        page.Console += (_, message) =>
        {
            // Chromium logs every HTTP error response; the one 400 this test asks for is expected.
            var expected = expectedFailure is not null && message.Location.StartsWith(expectedFailure, StringComparison.Ordinal)
                && message.Text.Contains("status of 400", StringComparison.Ordinal);
            if (message.Type == "error" && !expected)
            {
                problems.Add($"console error: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        page.RequestFailed += (_, request) => problems.Add($"request failed: {request.Method} {request.Url} {request.Failure}");
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(service.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                problems.Add($"request outside the service: {request.Url}");
            }
        };
    }

    /// <summary>What a person sees with the response in the middle of the window.</summary>
    private static async Task ScreenshotAsync(IPage page, ILocator response, string name)
    {
        var results = Directory.CreateDirectory(Path.Combine(TestContext.CurrentContext.WorkDirectory, "TestResults", "ApiPage")).FullName;
        var file = Path.Combine(results, name);
        await response.EvaluateAsync("element => element.scrollIntoView({ block: 'center' })");
        await page.ScreenshotAsync(new() { Path = file });
        TestContext.AddTestAttachment(file);
    }

    private static (string Type, string DisplayName)? StoredRun(string databaseFile, string id)
    {
        using var connection = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RunConfiguration.DiscriminatorColumn}, displayName FROM {RunConfiguration.TableName} WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    private static long StoredRunCount(string databaseFile)
    {
        using var connection = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {RunConfiguration.TableName}";
        return (long)command.ExecuteScalar()!;
    }
}
