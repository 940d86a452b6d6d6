using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// $expand (URL Conventions §5.1.3) on a model without navigation properties: every star form expands nothing, so the
/// answer is exactly the one without $expand, wherever $expand may appear; naming anything else is a 400 that says
/// what to use instead.
/// </summary>
public class ExpandTests : ApiFixture
{
    private const string Outgoing = "microsoft.graph.industryData.outgoingFlowRun";

    private string id = null!;

    [SetUp]
    public async Task CreateRunsAsync()
    {
        id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()
            .With("blockingError", new JsonObject { ["code"] = "quotaExceeded", ["details"] = new JsonArray(new JsonObject { ["code"] = "a" }) })
            .With("statistics", new JsonObject { ["rowsRead"] = 7 })))["id"]!;
        await Client.CreateRunAsync(RunBodies.Incoming());
    }

    [TestCase("*")]
    [TestCase("*/$ref")]
    [TestCase("*($levels=2)")]
    [TestCase("*($levels=max)")]
    [TestCase("*/$REF")]
    [TestCase("*(levels=1)")]
    [TestCase("blockingError/*")]
    [TestCase("blockingError/details/*/$ref")]
    [TestCase("statistics/*")]
    [TestCase(Outgoing + "/*")]
    [TestCase("*,blockingError/*")]
    public async Task A_star_changes_nothing_on_the_list(string expand)
    {
        foreach (var option in new[] { "$expand", "expand", "$EXPAND" })
        {
            await AssertSameAsync("runs", $"runs?{option}={Uri.EscapeDataString(expand)}");
        }
    }

    [TestCase("runs?{0}$select=displayName,status", "runs?$select=displayName,status")]
    [TestCase("runs?{0}$filter=status eq 'failed'&$orderby=displayName desc&$count=true&$top=1", "runs?$filter=status eq 'failed'&$orderby=displayName desc&$count=true&$top=1")]
    [TestCase("runs?{0}$compute=length(displayName) as n&$select=n", "runs?$compute=length(displayName) as n&$select=n")]
    [TestCase("runs/" + Outgoing + "?{0}", "runs/" + Outgoing)]
    [TestCase("runs('{1}')?{0}", "runs('{1}')")]
    [TestCase("runs/{1}?{0}$select=status", "runs/{1}?$select=status")]
    [TestCase("runs('{1}')/" + Outgoing + "?{0}", "runs('{1}')/" + Outgoing)]
    [TestCase("runs('{1}')/blockingError?{0}", "runs('{1}')/blockingError")]
    [TestCase("runs('{1}')/blockingError/details?{0}$top=1", "runs('{1}')/blockingError/details?$top=1")]
    [TestCase("$all/microsoft.graph.industryData.run?{0}", "$all/microsoft.graph.industryData.run")]
    [TestCase("$entity?$id=runs('{1}')&{0}", "$entity?$id=runs('{1}')")]
    [TestCase("runs/$filter(status eq 'running')?{0}", "runs/$filter(status eq 'running')")]
    [TestCase("runs?{0}$apply=groupby((status))", "runs?$apply=groupby((status))")]
    [TestCase("subscriptions?{0}", "subscriptions")]
    public async Task A_star_changes_nothing_wherever_expand_may_appear(string withExpand, string without)
    {
        await AssertSameAsync(string.Format(without, string.Empty, id), string.Format(withExpand, "$expand=*&", id).TrimEnd('&', '?'));
    }

    [Test]
    public async Task A_star_changes_nothing_on_delta()
    {
        var plain = await Client.GetJsonAsync("runs/delta()?$select=status");
        var expanded = await Client.GetJsonAsync("runs/delta()?$select=status&$expand=*");

        Assert.Multiple(() =>
        {
            Assert.That((string?)expanded["@odata.context"], Is.EqualTo((string?)plain["@odata.context"]));
            Assert.That(expanded["value"]!.ToJsonString(), Is.EqualTo(plain["value"]!.ToJsonString()));
            Assert.That((string?)expanded["@odata.deltaLink"], Does.Not.Contain("expand"));
        });
    }

    [Test]
    public async Task A_star_changes_nothing_on_writes()
    {
        using var created = await Client.PostJsonAsync("runs?$expand=*", RunBodies.Outgoing());
        var createdId = created.Headers.Location!.ToString().Split('\'')[1];
        using var patched = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{createdId}')?$expand=*", """{"status":"failed"}""");
        using var represented = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{createdId}')?$expand=*/$ref", """{"status":"running"}""",
            headers: new Dictionary<string, string> { ["Prefer"] = "return=representation" });
        using var read = await Client.GetAsync($"runs('{createdId}')");

        Assert.Multiple(async () =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That((await created.ReadJsonAsync()).Select(member => member.Key), Is.EqualTo((await Client.CreateRunAsync(RunBodies.Outgoing())).Select(member => member.Key)));
            Assert.That(patched.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(represented.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await represented.Content.ReadAsStringAsync(), Is.EqualTo(await read.Content.ReadAsStringAsync()));
        });
    }

    [TestCase("runs?$expand=statistics")]
    [TestCase("runs?$expand=blockingError")]
    [TestCase("runs?$expand=displayName")]
    [TestCase("runs?$expand=nope")]
    [TestCase("runs?$expand=blockingError/code")]
    [TestCase("runs?$expand=statistics/rowsRead")]
    [TestCase("runs?$expand=blockingError/$ref")]
    [TestCase("runs?$expand=$value")]
    [TestCase("runs?$expand=*($select=status)")]
    [TestCase("runs?$expand=*/$ref($top=1)")]
    [TestCase("runs?$expand=*($levels=0)")]
    [TestCase("runs?$expand=*($levels=two)")]
    [TestCase("runs?$expand=*/status")]
    [TestCase("runs?$expand=*,*")]
    [TestCase("runs?$expand=")]
    [TestCase("runs?$expand=*,")]
    [TestCase("runs?$expand=*(")]
    [TestCase("runs?$expand=microsoft.graph.subscription/*")]
    [TestCase("runs?$expand=microsoft.graph.industryData.nope/*")]
    [TestCase("runs?$expand=" + Outgoing)]
    [TestCase("runs/" + Outgoing + "?$expand=microsoft.graph.industryData.incomingFlowRun/*")]
    [TestCase("runs('{0}')?$expand=blockingError")]
    [TestCase("runs('{0}')/blockingError?$expand=code")]
    [TestCase("runs('{0}')/blockingError/details?$expand=code")]
    [TestCase("runs?$apply=groupby((status))&$expand=status")]
    [TestCase("runs/delta()?$expand=statistics")]
    [TestCase("$all/microsoft.graph.industryData.run?$expand=statistics")]
    [TestCase("subscriptions?$expand=resource")]
    public async Task Naming_anything_to_expand_is_a_400_that_says_what_to_use(string url)
    {
        using var response = await Client.GetAsync(string.Format(url, id));

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidQueryOption", "$expand");
        Assert.That((string?)error["message"], Does.Contain("$expand"));
    }

    [Test]
    public async Task The_400_for_a_complex_property_says_it_is_already_included_and_points_to_select()
    {
        using var response = await Client.GetAsync("runs?$expand=blockingError");

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidQueryOption", "$expand");
        Assert.That((string?)error["message"], Does.Contain("no navigation properties").And.Contain("blockingError and statistics").And.Contain("$select"));
    }

    [TestCase("runs?$levels=2", "$levels")]
    [TestCase("runs('{0}')?$levels=max", "$levels")]
    [TestCase("runs('{0}')/status?$levels=1", "$levels")]
    [TestCase("runs('{0}')/blockingError/details?$levels=2", "$levels")]
    [TestCase("subscriptions?$levels=2", "$levels")]
    public async Task Levels_outside_expand_is_a_400(string url, string target)
    {
        using var response = await Client.GetAsync(string.Format(url, id));

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidQueryOption", target);
        Assert.That((string?)error["message"], Does.Contain("$expand=*($levels=2)"));
    }

    [TestCase("runs('{0}')/status?$expand=*")]
    [TestCase("runs('{0}')/statistics/rowsRead?$expand=*")]
    [TestCase("runs('{0}')/blockingError/code?$expand=*")]
    public async Task Expand_on_a_primitive_value_does_not_apply(string url)
    {
        using var response = await Client.GetAsync(string.Format(url, id));

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "queryOptionNotApplicable", "$expand");
    }

    [Test]
    public async Task Expand_given_twice_is_a_400()
    {
        using var response = await Client.GetAsync("runs?$expand=*&expand=*");

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "duplicateQueryOption", "$expand");
    }

    [TestCase("*", "runs")]
    [TestCase("*($levels=2)", "runs")]
    [TestCase("*/$ref", "runs/$ref")]
    [TestCase("*/$ref,runs", "runs")]
    [TestCase("runs/microsoft.graph.industryData.run", "runs")]
    public async Task On_a_cross_join_the_star_expands_the_joined_set(string star, string named)
    {
        await AssertSameAsync($"$crossjoin(runs)?$expand={named}", $"$crossjoin(runs)?$expand={Uri.EscapeDataString(star)}");
    }

    [Test]
    public async Task On_a_cross_join_expand_writes_references_and_casts()
    {
        var references = await Client.GetJsonAsync("$crossjoin(runs)?$expand=runs/$ref&$orderby=runs/id");
        var cast = await Client.GetJsonAsync($"$crossjoin(runs)?$expand=runs/{Outgoing}&$filter=runs/id eq '{id}' or runs/displayName ne ''");
        var rows = cast["value"]!.AsArray().Select(row => row!["runs"]).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(references["value"]!.AsArray().Select(row => (string?)row!["runs"]!["@odata.id"]), Has.Member($"runs('{id}')"));
            Assert.That(references["value"]!.AsArray().All(row => row!["runs"]!.AsObject().Count == 1), Is.True, references.ToJsonString());
            Assert.That(rows.Count(run => run is not null && (string?)run["@odata.type"] == "#" + Outgoing), Is.EqualTo(1), cast.ToJsonString());
            Assert.That(cast["value"]!.AsArray().Count(row => row!["runs@odata.navigationLink"] is not null), Is.EqualTo(1), cast.ToJsonString());
        });
    }

    [TestCase("runs/microsoft.graph.subscription")]
    [TestCase("*($select=status)")]
    [TestCase("runs,runs")]
    [TestCase("statistics")]
    public async Task On_a_cross_join_anything_else_is_a_400(string expand)
    {
        using var response = await Client.GetAsync($"$crossjoin(runs)?$expand={Uri.EscapeDataString(expand)}");

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidExpand", "$expand");
    }

    private async Task AssertSameAsync(string without, string with)
    {
        using var plain = await Client.GetAsync(without);
        using var expanded = await Client.GetAsync(with);
        var plainText = await plain.Content.ReadAsStringAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(plain.StatusCode, Is.EqualTo(HttpStatusCode.OK), plainText);
            Assert.That(expanded.StatusCode, Is.EqualTo(plain.StatusCode), with);
            Assert.That(await expanded.Content.ReadAsStringAsync(), Is.EqualTo(plainText), with);
            Assert.That(expanded.Content.Headers.ContentType?.ToString(), Is.EqualTo(plain.Content.Headers.ContentType?.ToString()), with);
        });
    }
}
