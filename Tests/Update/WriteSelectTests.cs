using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Update;

/// <summary>
/// $select on a create or update (OData Protocol §11.4.1.5): the run returned is the one a GET with the same $select
/// returns, byte for byte; $select implies return=representation unless return=minimal; anything that does not apply is
/// refused before the write, so nothing is stored or changed.
/// </summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class WriteSelectTests(TestProvider provider) : ApiFixture(provider)
{
    private const string Cast = "microsoft.graph.industryData.outgoingFlowRun";

    private static Dictionary<string, string> Prefer(string value) => new() { ["Prefer"] = value };

    private async Task<string> GetTextAsync(string url)
    {
        using var response = await Client.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<int> CountAsync() => (int)(await Client.GetJsonAsync("runs?$count=true&$top=0"))["@odata.count"]!;

    [TestCase("runs", "displayName,status")]
    [TestCase("runs", "id,statistics")]
    [TestCase("runs", "microsoft.graph.industryData.incomingFlowRun/displayName,status")]
    [TestCase("runs/" + Cast, "displayName")]
    [TestCase("runs", "*")]
    public async Task A_create_with_select_returns_what_get_with_that_select_returns(string url, string select)
    {
        using var response = await Client.PostJsonAsync($"{url}?$select={select}", RunBodies.Outgoing());
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), text);
        var id = response.Headers.Location!.ToString().Split('\'')[1];

        Assert.Multiple(async () =>
        {
            Assert.That(text, Is.EqualTo(await GetTextAsync($"runs('{id}')?$select={select}")));
            Assert.That(response.Headers.ETag?.ToString(), Is.EqualTo("W/\"1\""));
            Assert.That(response.Header("OData-EntityId"), Is.EqualTo($"http://localhost/runs('{id}')"));
        });
    }

    [Test]
    public async Task A_create_with_select_returns_only_the_selected_properties_and_control_information()
    {
        using var response = await Client.PostJsonAsync("runs?$select=displayName,status", RunBodies.Outgoing());
        var body = await response.ReadJsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That(body.Select(member => member.Key), Is.EqualTo(new[] { "@odata.context", "@odata.type", "@odata.etag", "displayName", "status" }));
            Assert.That((string?)body["@odata.context"], Is.EqualTo($"http://localhost/$metadata#runs/{Cast}(displayName,status)/$entity"));
        });
    }

    [TestCase("PATCH", "runs('{0}')")]
    [TestCase("PUT", "runs('{0}')")]
    [TestCase("PATCH", "runs/{0}/" + Cast)]
    [TestCase("PATCH", "runs/" + Cast + "('{0}')")]
    [TestCase("PUT", "runs(id='{0}')")]
    public async Task An_update_with_select_returns_200_with_what_get_with_that_select_returns(string method, string form)
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, form, id) + "?$select=displayName,endDateTime";

        using var response = await Client.SendJsonAsync(new HttpMethod(method), url, RunBodies.Outgoing().With("displayName", "Renamed").ToJsonString());
        var text = await response.Content.ReadAsStringAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
            Assert.That(response.Header("Preference-Applied"), Is.Empty, "$select implies the representation; no preference was stated");
            Assert.That(response.Headers.ETag?.ToString(), Is.EqualTo("W/\"2\""));
            Assert.That((string?)JsonNode.Parse(text)!["displayName"], Is.EqualTo("Renamed"));
            Assert.That(text, Is.EqualTo(await GetTextAsync(url)));
        });
    }

    [Test]
    public async Task Return_representation_with_select_is_applied_and_shaped()
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;

        using var response = await Client.SendJsonAsync(HttpMethod.Put, $"runs('{id}')?$select=status", RunBodies.Outgoing().With("status", "failed").ToJsonString(),
            headers: Prefer("return=representation"));
        var body = await response.ReadJsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Header("Preference-Applied"), Is.EqualTo("return=representation"));
            Assert.That(body.Select(member => member.Key), Is.EqualTo(new[] { "@odata.context", "@odata.type", "@odata.etag", "status" }));
            Assert.That((string?)body["status"], Is.EqualTo("failed"));
        });
    }

    [TestCase("POST")]
    [TestCase("PATCH")]
    public async Task Return_minimal_with_select_is_a_204_that_says_return_minimal_was_applied(string method)
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        var url = method == "POST" ? "runs?$select=displayName" : $"runs('{id}')?$select=displayName";

        using var response = await Client.SendJsonAsync(new HttpMethod(method), url, RunBodies.Outgoing().With("displayName", "Minimal").ToJsonString(), headers: Prefer("return=minimal"));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(response.Header("Preference-Applied"), Is.EqualTo("return=minimal"));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.Empty);
        });
    }

    [TestCase("$select=nope", HttpStatusCode.BadRequest, "invalidQueryOption", "$select")]
    [TestCase("$select=displayName($select=x)", HttpStatusCode.BadRequest, "invalidQueryOption", "$select")]
    [TestCase("$select=displayName&$select=status", HttpStatusCode.BadRequest, "duplicateQueryOption", "$select")]
    [TestCase("$expand=statistics", HttpStatusCode.BadRequest, "invalidQueryOption", "$expand")]
    [TestCase("$filter=status eq 'failed'", HttpStatusCode.BadRequest, "queryOptionNotApplicable", "$filter")]
    [TestCase("$orderby=displayName", HttpStatusCode.BadRequest, "queryOptionNotApplicable", "$orderby")]
    [TestCase("$top=1", HttpStatusCode.BadRequest, "queryOptionNotApplicable", "$top")]
    [TestCase("skip=1", HttpStatusCode.BadRequest, "queryOptionNotApplicable", "skip")]
    [TestCase("$count=true", HttpStatusCode.BadRequest, "queryOptionNotApplicable", "$count")]
    [TestCase("$foo=1", HttpStatusCode.BadRequest, "unknownQueryOption", "$foo")]
    public async Task An_option_that_does_not_apply_refuses_a_create_and_stores_nothing(string query, HttpStatusCode status, string innerCode, string target)
    {
        var before = await CountAsync();

        using var response = await Client.PostJsonAsync("runs?" + query, RunBodies.Outgoing());

        await response.AssertGraphErrorAsync(status, innerCode, target);
        Assert.That(await CountAsync(), Is.EqualTo(before));
    }

    [TestCase("PATCH", "$select=nope", HttpStatusCode.BadRequest)]
    [TestCase("PUT", "$expand=blockingError", HttpStatusCode.BadRequest)]
    [TestCase("PATCH", "$top=1", HttpStatusCode.BadRequest)]
    public async Task An_option_that_does_not_apply_refuses_an_update_and_changes_nothing(string method, string query, HttpStatusCode status)
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        var before = await GetTextAsync($"runs('{id}')");

        using var response = await Client.SendJsonAsync(new HttpMethod(method), $"runs('{id}')?{query}", RunBodies.Outgoing().With("displayName", "Changed").ToJsonString());

        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(await GetTextAsync($"runs('{id}')"), Is.EqualTo(before));
    }
}
