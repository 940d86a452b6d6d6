using IndustryData.KiotaClient;
using IndustryData.KiotaClient.Models.IndustryData;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

/// <summary>
/// The generated client with OData-MaxVersion on every request: a create, a list read page by page (Prefer:
/// odata.maxpagesize=1, following @odata.nextLink) and a read by key. Each answer must carry OData-Version: 4.01 when
/// the client allows 4.01 (else 4.0), and control information keeps its odata. prefix for both (optional in 4.01,
/// so a 4.0-generated client reads it unchanged): no bare @context or @nextLink.
/// </summary>
internal sealed class VersionedCalls(RunsClient client, string maxVersion)
{
    private readonly string expectedVersion = maxVersion == "4.01" ? "4.01" : "4.0";
    private readonly List<string> failures = [];

    public async Task<int> RunAsync()
    {
        try
        {
            await CallAsync();
        }
        catch (IndustryData.KiotaClient.Models.Error error)
        {
            failures.Add($"{error.ResponseStatusCode} {error.ErrorProp?.Code}: {error.ErrorProp?.Message}");
        }

        foreach (var failure in failures)
        {
            Console.Error.WriteLine(failure);
        }

        return failures.Count == 0 ? 0 : 1;
    }

    private async Task CallAsync()
    {
        var name = $"Kiota OData {maxVersion} {Guid.NewGuid():N}";
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var inspection = Inspection();
            var created = await client.Runs.PostAsync(new RunCreate
            {
                OutgoingFlowRunCreate = new OutgoingFlowRunCreate
                {
                    OdataType = OutgoingFlowRunCreate_OdataType.MicrosoftGraphIndustryDataOutgoingFlowRun,
                    DisplayName = name,
                    StartDateTime = new DateTimeOffset(2026, 1, 31, 9, 30, i, TimeSpan.Zero),
                    Status = RunStatus.Completed,
                    Statistics = new RunStatisticsCreate { AdditionalData = new Dictionary<string, object> { ["rowsRead"] = i } },
                },
            }, config => Configure(config, inspection));
            Check($"create {i}", inspection);
            ids.Add(created?.OutgoingFlowRun?.Id ?? throw new InvalidOperationException("The create did not answer an outgoingFlowRun."));
        }

        var listed = new List<string>();
        var firstPage = Inspection();
        var page = await client.Runs.GetAsRunsGetResponseAsync(config =>
        {
            config.QueryParameters.Filter = $"displayName eq '{name}'";
            config.Headers.Add("Prefer", "odata.maxpagesize=1");
            Configure(config, firstPage);
        });
        Check("list page 1", firstPage);
        listed.AddRange(page?.Value?.Select(run => run.OutgoingFlowRun?.Id ?? "?") ?? []);
        CheckControlInformation("list page 1", page?.AdditionalData);
        if (page?.AdditionalData.TryGetValue("@odata.nextLink", out var next) != true || next is not string nextLink)
        {
            failures.Add("list page 1: no @odata.nextLink");
        }
        else
        {
            var secondPage = Inspection();
            page = await client.Runs.WithUrl(nextLink).GetAsRunsGetResponseAsync(config =>
            {
                config.Headers.Add("Prefer", "odata.maxpagesize=1");
                Configure(config, secondPage);
            });
            Check("list page 2", secondPage);
            listed.AddRange(page?.Value?.Select(run => run.OutgoingFlowRun?.Id ?? "?") ?? []);
            if (page?.AdditionalData.ContainsKey("@odata.nextLink") == true)
            {
                failures.Add("list page 2: a next link after the last run");
            }
        }

        if (!listed.SequenceEqual(ids))
        {
            failures.Add($"listed {string.Join(",", listed)}, created {string.Join(",", ids)}");
        }

        var byKey = Inspection();
        var read = (await client.Runs[ids[0]].GetAsync(config => Configure(config, byKey)))?.OutgoingFlowRun;
        Check("read by key", byKey);
        if (read?.Id != ids[0] || read.DisplayName != name)
        {
            failures.Add($"read by key answered {read?.Id} {read?.DisplayName}");
        }

        Console.WriteLine(string.Join(",", ids));
    }

    private static HeadersInspectionHandlerOption Inspection() => new() { InspectResponseHeaders = true };

    private void Configure<T>(RequestConfiguration<T> config, HeadersInspectionHandlerOption inspection)
        where T : class, new()
    {
        config.Headers.Add("OData-MaxVersion", maxVersion);
        config.Options.Add(inspection);
    }

    private void Check(string call, HeadersInspectionHandlerOption inspection)
    {
        var version = inspection.ResponseHeaders.TryGetValue("OData-Version", out var values) ? string.Join(",", values) : "(none)";
        if (version != expectedVersion)
        {
            failures.Add($"{call}: OData-Version {version}, expected {expectedVersion}");
        }
    }

    private void CheckControlInformation(string call, IDictionary<string, object>? members)
    {
        foreach (var key in members?.Keys ?? [])
        {
            if (key.StartsWith('@') && !key.StartsWith("@odata.", StringComparison.Ordinal))
            {
                failures.Add($"{call}: control information without the odata. prefix, {key}");
            }
        }
    }
}
