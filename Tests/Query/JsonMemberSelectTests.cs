using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// $select of dynamic members of the open statistics (URL Conventions §5.1.3), top-level and nested, on lists and by
/// key: statistics comes back with only the selected members; a member a run does not have is left out, and so is a
/// member selected for what is inside it when it holds no object.
/// </summary>
public class JsonMemberSelectTests : ApiFixture
{
    [TestCase("statistics/recordsSent", """{"r0":{"recordsSent":10},"r1":{"recordsSent":2},"r2":{},"r3":{},"r4":{},"r5":{}}""")]
    [TestCase("statistics/perEntity/students", """{"r0":{"perEntity":{"students":5}},"r1":{},"r2":{},"r3":{},"r4":{"perEntity":{"students":12}},"r5":{"perEntity":{"students":"12"}}}""")]
    [TestCase("statistics($select=perEntity/students,ok)", """{"r0":{"perEntity":{"students":5}},"r1":{},"r2":{},"r3":{},"r4":{"ok":true,"perEntity":{"students":12}},"r5":{"ok":false,"perEntity":{"students":"12"}}}""")]
    [TestCase("statistics/perEntity/nope,statistics/label", """{"r0":{"perEntity":{}},"r1":{"label":"x"},"r2":{"label":"yx"},"r3":{},"r4":{"perEntity":{}},"r5":{"perEntity":{}}}""")]
    [TestCase("statistics/perEntity/students,statistics/perEntity", """{"r0":{"perEntity":{"students":5}},"r1":{},"r2":{},"r3":{},"r4":{"perEntity":{"students":12}},"r5":{"perEntity":{"students":"12"}}}""")]
    [TestCase("statistics/label/x", """{"r0":{},"r1":{},"r2":{},"r3":{},"r4":{},"r5":{}}""")]
    public async Task A_list_returns_statistics_with_only_the_selected_members(string select, string expected)
    {
        await JsonRuns.CreateAsync(Client);

        var page = await Client.GetJsonAsync("runs?$orderby=displayName&$select=displayName," + Uri.EscapeDataString(select));

        var statistics = page["value"]!.AsArray().ToDictionary(run => (string)run!["displayName"]!, run => run!["statistics"]);
        Assert.That(JsonNode.DeepEquals(new JsonObject(statistics.Select(pair => KeyValuePair.Create(pair.Key, pair.Value?.DeepClone()))), JsonNode.Parse(expected)),
            Is.True, page.ToJsonString());
    }

    [Test]
    public async Task One_run_returns_statistics_with_only_the_selected_nested_member()
    {
        var ids = await JsonRuns.CreateAsync(Client);

        var run = await Client.GetJsonAsync($"runs('{ids["r4"]}')?$select=statistics/perEntity/students,statistics/ok");

        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.DeepEquals(run["statistics"], JsonNode.Parse("""{"ok":true,"perEntity":{"students":12}}""")), Is.True, run.ToJsonString());
            Assert.That(run.ContainsKey("displayName"), Is.False);
        });
    }

    [Test]
    public async Task Selecting_inside_a_member_changes_nothing_stored()
    {
        var ids = await JsonRuns.CreateAsync(Client);

        await Client.GetJsonAsync($"runs('{ids["r0"]}')?$select=statistics/perEntity/nope");
        var run = await Client.GetJsonAsync($"runs('{ids["r0"]}')");

        Assert.That(JsonNode.DeepEquals(run["statistics"], JsonNode.Parse(JsonRuns.Rows[0].Statistics)), Is.True, run.ToJsonString());
    }
}
