// Usage: KiotaClient <service root> <bearer token> [<OData-MaxVersion>]
// Creates an outgoingFlowRun with nested statistics through the generated client, reads it back by id, checks what
// came back, and prints the id. Exit code 0 only if the read matches what was sent.
// With an OData-MaxVersion (4.0 or 4.01), every request sends it and VersionedCalls checks the OData-Version of each
// answer and a list read page by page through @odata.nextLink (see VersionedCalls.cs).
using IndustryData.KiotaClient;
using IndustryData.KiotaClient.Models.IndustryData;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;

var serviceRoot = args[0];
var token = args[1];
var adapter = new HttpClientRequestAdapter(new BaseBearerTokenAuthenticationProvider(new StaticToken(token, new Uri(serviceRoot).Host)))
{
    BaseUrl = serviceRoot.TrimEnd('/'),
};
var client = new RunsClient(adapter);
if (args.Length > 2)
{
    return await new VersionedCalls(client, args[2]).RunAsync();
}

var created = await client.Runs.PostAsync(new RunCreate
{
    OutgoingFlowRunCreate = new OutgoingFlowRunCreate
    {
        OdataType = OutgoingFlowRunCreate_OdataType.MicrosoftGraphIndustryDataOutgoingFlowRun,
        DisplayName = "Kiota roster export",
        StartDateTime = new DateTimeOffset(2026, 1, 31, 9, 30, 0, TimeSpan.FromHours(1)),
        Status = RunStatus.Completed,
        Statistics = new RunStatisticsCreate
        {
            AdditionalData = new Dictionary<string, object>
            {
                ["rowsRead"] = 1200,
                ["perEntity"] = new UntypedObject(new Dictionary<string, UntypedNode> { ["students"] = new UntypedInteger(900), ["teachers"] = new UntypedInteger(287) }),
            },
        },
    },
});
var id = created?.OutgoingFlowRun?.Id ?? throw new InvalidOperationException("The create did not answer an outgoingFlowRun.");

var read = (await client.Runs[id].GetAsync())?.OutgoingFlowRun ?? throw new InvalidOperationException("The read did not answer an outgoingFlowRun.");
var perEntity = (read.Statistics?.AdditionalData["perEntity"] as UntypedObject)?.GetValue();
var students = (perEntity?["students"] as UntypedInteger)?.GetValue() ?? (int?)(perEntity?["students"] as UntypedDecimal)?.GetValue();
if (read.DisplayName != "Kiota roster export" || read.StartDateTime != new DateTimeOffset(2026, 1, 31, 8, 30, 0, TimeSpan.Zero)
    || read.Status != RunStatus.Completed || students != 900)
{
    Console.Error.WriteLine($"read back differs: {read.DisplayName} {read.StartDateTime:o} {read.Status} students={students}");
    return 1;
}

Console.WriteLine(id);
return 0;

/// <summary>The token a customer would get from their identity provider, sent only to the service's host.</summary>
internal sealed class StaticToken(string token, string host) : IAccessTokenProvider
{
    public AllowedHostsValidator AllowedHostsValidator { get; } = new([host]);

    public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(token);
}
