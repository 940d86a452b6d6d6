using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Conformance.Protocol;

/// <summary>Three runs of both kinds, for the resource paths that address the runs collection in other ways.</summary>
public abstract class ResourcePathFixture : ApiFixture
{
    protected const string Cast = "microsoft.graph.industryData.outgoingFlowRun";

    protected async Task<(string Failed, string Completed, string Incoming)> CreateThreeAsync()
    {
        var failed = await Client.CreateRunAsync(RunBodies.Outgoing().With("status", "failed").With("displayName", "a failed run"));
        var completed = await Client.CreateRunAsync(RunBodies.Outgoing().With("displayName", "b completed run"));
        var incoming = await Client.CreateRunAsync(RunBodies.Incoming().With("status", "failed").With("displayName", "c incoming failed"));
        return ((string)failed["id"]!, (string)completed["id"]!, (string)incoming["id"]!);
    }

    /// <summary>A page with server-driven paging at <paramref name="pageSize"/> (Prefer: maxpagesize).</summary>
    protected async Task<JsonObject> GetPageAsync(string url, int pageSize)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Prefer", $"maxpagesize={pageSize}");
        using var response = await Client.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), url);
        return await response.ReadJsonAsync();
    }

    protected static List<JsonObject> Items(JsonObject page) => [.. page["value"]!.AsArray().Select(item => item!.AsObject())];
}
