using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;
using static IndustryData.OData.Tests.Query.JsonRuns;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// $filter on values stored as JSON (URL Conventions §5.1.1.15 dynamic properties, §5.1.1.13 lambda operators, 4.01
/// $count of a filtered collection): members of the open statistics, the properties of blockingError, any/all and
/// $count over blockingError/details. OData's typing rules: a member holding a string compared with a number matches
/// nothing; a missing member is null. Expected rows are computed here from the JSON the runs were created with.
/// </summary>
public class JsonMemberFilterTests : ApiFixture
{
    private static readonly Dictionary<string, Func<JsonObject, JsonObject?, bool>> Cases = new()
    {
        ["statistics/recordsFailed gt 0"] = (s, e) => Number(s["recordsFailed"]) > 0,
        ["statistics/recordsFailed eq 3"] = (s, e) => Number(s["recordsFailed"]) == 3,
        ["statistics/recordsFailed eq '3'"] = (s, e) => Text(s["recordsFailed"]) == "3",
        ["statistics/recordsFailed le 7.5"] = (s, e) => Number(s["recordsFailed"]) <= 7.5,
        ["7 lt statistics/recordsFailed"] = (s, e) => Number(s["recordsFailed"]) > 7,
        ["statistics/recordsFailed ne 3"] = (s, e) => s["recordsFailed"] is null || Number(s["recordsFailed"]) is { } n && n != 3,
        ["statistics/recordsFailed eq null"] = (s, e) => s["recordsFailed"] is null,
        ["statistics/recordsFailed ne null"] = (s, e) => s["recordsFailed"] is not null,
        ["statistics/recordsFailed eq 2026-01-01"] = (s, e) => false,
        ["blockingError/code in ('E2','E3')"] = (s, e) => Text(e?["code"]) is "E2" or "E3",
        ["statistics/recordsFailed in (3, 7.5)"] = (s, e) => Number(s["recordsFailed"]) is 3 or 7.5,
        ["statistics/recordsFailed in ('3', 0)"] = (s, e) => Text(s["recordsFailed"]) == "3" || Number(s["recordsFailed"]) == 0,
        ["statistics/recordsFailed in (3, null)"] = (s, e) => s["recordsFailed"] is null || Number(s["recordsFailed"]) == 3,
        ["statistics/label in ('x','yx')"] = (s, e) => Text(s["label"]) is "x" or "yx",
        ["statistics/ok in (true)"] = (s, e) => s["ok"] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.True,
        ["statistics/perEntity/students in (12, 5)"] = (s, e) => Number(s["perEntity"]?["students"]) is 12 or 5,
        ["not (statistics/recordsFailed in (3, 7.5))"] = (s, e) => Number(s["recordsFailed"]) is not (3 or 7.5),
        ["statistics/perEntity/students ge 10"] = (s, e) => Number(s["perEntity"]?["students"]) >= 10,
        ["statistics/perEntity/students eq '12'"] = (s, e) => Text(s["perEntity"]?["students"]) == "12",
        ["statistics/perEntity eq null"] = (s, e) => s["perEntity"] is null,
        ["statistics/ok eq true"] = (s, e) => s["ok"] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.True,
        ["statistics/ok eq false"] = (s, e) => s["ok"] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.False,
        ["statistics/label eq 'x'"] = (s, e) => Text(s["label"]) == "x",
        ["statistics/label gt 'x'"] = (s, e) => string.CompareOrdinal(Text(s["label"]) ?? "", "x") > 0 && Text(s["label"]) is not null,
        ["contains(statistics/label,'x')"] = (s, e) => Text(s["label"])?.Contains('x', StringComparison.Ordinal) == true,
        ["statistics/recordsFailed gt 0 and startDateTime ge 2026-01-03T00:00:00Z"] = (s, e) => Number(s["recordsFailed"]) > 0 && Row(s) >= 2,
        ["not (statistics/recordsFailed gt 0)"] = (s, e) => !(Number(s["recordsFailed"]) > 0),
        ["blockingError eq null"] = (s, e) => e is null,
        ["blockingError ne null"] = (s, e) => e is not null,
        ["blockingError/code eq 'E1'"] = (s, e) => Text(e?["code"]) == "E1",
        ["blockingError/message eq null"] = (s, e) => e?["message"] is null,
        ["startswith(blockingError/message,'Bad')"] = (s, e) => Text(e?["message"])?.StartsWith("Bad", StringComparison.Ordinal) == true,
        ["blockingError/details/any(d:d/code eq 'x')"] = (s, e) => Details(e).Any(d => Text(d!["code"]) == "x"),
        ["blockingError/details/any(d:d/code eq 'x' and d/message eq 'm1')"] = (s, e) => Details(e).Any(d => Text(d!["code"]) == "x" && Text(d["message"]) == "m1"),
        ["blockingError/details/any(d:d/code eq 'z' or d/target eq 't')"] = (s, e) => Details(e).Any(d => Text(d!["code"]) == "z" || Text(d["target"]) == "t"),
        ["blockingError/details/any(d:not (d/code eq 'x'))"] = (s, e) => Details(e).Any(d => Text(d!["code"]) != "x"),
        ["blockingError/details/any()"] = (s, e) => Details(e).Count > 0,
        ["blockingError/details/all(d:d/code eq 'x')"] = (s, e) => e is not null && Details(e).All(d => Text(d!["code"]) == "x"),
        ["blockingError/details/$count gt 1"] = (s, e) => e is not null && Details(e).Count > 1,
        ["blockingError/details/$count eq 0"] = (s, e) => e is not null && Details(e).Count == 0,
        ["blockingError/details/$count($filter=code eq 'x') ge 2"] = (s, e) => e is not null && Details(e).Count(d => Text(d!["code"]) == "x") >= 2,
        ["blockingError/details/any(d:d/code eq 'x') and statistics/recordsFailed gt 5"] = (s, e) => Details(e).Any(d => Text(d!["code"]) == "x") && Number(s["recordsFailed"]) > 5,
    };

    private static int Row(JsonObject statistics) => Array.FindIndex(Rows, row => JsonNode.DeepEquals(JsonNode.Parse(row.Statistics), statistics));

    public static IEnumerable<TestCaseData> Filters() => Cases.Keys.Select(filter => new TestCaseData(filter).SetArgDisplayNames(filter));

    [TestCaseSource(nameof(Filters))]
    public async Task Filter_returns_exactly_the_runs_OData_typing_rules_select(string filter)
    {
        var ids = await CreateAsync(Client);
        var expected = Where(Cases[filter]).Select(name => ids[name]);

        var page = await Client.GetJsonAsync("runs?$filter=" + Uri.EscapeDataString(filter));

        Assert.That(page["value"]!.AsArray().Select(run => (string)run!["id"]!), Is.EquivalentTo(expected));
    }

    [Test]
    public async Task Parameter_aliases_stand_for_values_in_members_comparisons_and_lambda_bodies()
    {
        var ids = await CreateAsync(Client);

        var byMember = await Client.GetJsonAsync("runs?$filter=statistics/recordsFailed gt @n&@n=1");
        var inLambda = await Client.GetJsonAsync("runs?$filter=blockingError/details/any(d:d/code eq @c)&@c='z'");

        Assert.Multiple(() =>
        {
            Assert.That(byMember["value"]!.AsArray().Select(run => (string)run!["id"]!), Is.EquivalentTo(Where((s, e) => Number(s["recordsFailed"]) > 1).Select(name => ids[name])));
            Assert.That(inLambda["value"]!.AsArray().Select(run => (string)run!["id"]!), Is.EquivalentTo(new[] { ids["r4"] }));
        });
    }

    [Test]
    public async Task Count_and_paging_agree_with_a_json_filter()
    {
        var ids = await CreateAsync(Client);
        var expected = Where((s, e) => Details(e).Count > 0).Select(name => ids[name]).ToList();
        var seen = new List<string>();

        var url = "runs?$filter=blockingError/details/any()&$count=true";
        var first = await Client.GetJsonAsync(url, 200);
        Assert.That((long)first["@odata.count"]!, Is.EqualTo(expected.Count));
        for (var next = (string?)url; next is not null;)
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, next);
            message.Headers.Add("Prefer", "odata.maxpagesize=1");
            using var response = await Client.SendAsync(message);
            var page = await response.ReadJsonAsync();
            seen.AddRange(page["value"]!.AsArray().Select(run => (string)run!["id"]!));
            next = (string?)page["@odata.nextLink"];
        }

        Assert.That(seen, Is.EquivalentTo(expected));
    }

    [TestCase("statistics/a eq statistics/b")]
    [TestCase("blockingError/details/any(d:d/code eq $it/displayName)")]
    public async Task Shapes_not_evaluated_are_a_501(string filter)
    {
        using var response = await Client.GetAsync("runs?$filter=" + Uri.EscapeDataString(filter));

        await GraphErrorAssert.AssertGraphErrorAsync(response, System.Net.HttpStatusCode.NotImplemented, "queryFeatureNotSupported");
    }
}
