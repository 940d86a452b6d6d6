using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// $orderby on dynamic members of statistics, which hold a different JSON type on each run (or nothing): the order is
/// class (missing or null, false, true, numbers, strings, objects and arrays), then numbers numerically and strings by
/// code point, then id; descending reverses all of it. Expected orders are computed here from the stored JSON. A walk of
/// pages (of 5, and of 1 so that a page ends on every value) returns every run once, in the order one unpaged request gives.
/// </summary>
public class JsonMemberSortTests : ApiFixture
{
    /// <summary>The member v of each run: ties, numbers that one double cannot tell apart, every JSON type, missing.</summary>
    private static readonly string?[] Values =
    [
        "10", "0.1", "1e20", "-3", "10", "2.5", "\"a\"", "\"B\"", "\"b\"", "\"10\"", "true", "false", "null", null, """{"x":1}""",
        "[1,2]", "100000000000000000001", "0.30000000000000004", "0.3", "\"a\"", null, "true", "1E20", "9007199254740993",
        "9007199254740992", "-1e-7", "\"\"", "null", "{}", "7",
    ];

    private async Task<Dictionary<string, JsonObject>> SeedAsync()
    {
        var statistics = new Dictionary<string, JsonObject>();
        await Host.WithDbAsync(async db =>
        {
            for (var i = 0; i < Values.Length; i++)
            {
                var json = new JsonObject { ["kind"] = i % 3 == 0 ? null : i % 3 == 1 ? "a" : "b", ["per"] = new JsonObject { ["n"] = i % 4 } };
                if (i % 5 == 0)
                {
                    json.Remove("kind");
                }

                if (Values[i] is { } value)
                {
                    json["v"] = JsonNode.Parse(value);
                }

                var run = new OutgoingFlowRun
                {
                    Id = Guid.CreateVersion7().ToString(),
                    DisplayName = $"run {i % 4}",
                    StartDateTime = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero),
                    Status = (RunStatus)(i % 3),
                    Statistics = RunStatistics.FromStoredJson(json.ToJsonString()),
                };
                db.Runs.Add(run);
                statistics[run.Id] = json;
            }

            return await db.SaveChangesAsync();
        });
        return statistics;
    }

    [TestCase("statistics/v")]
    [TestCase("statistics/v desc")]
    [TestCase("statistics/kind desc,statistics/v")]
    [TestCase("statistics/per/n,statistics/v desc")]
    public async Task A_member_of_mixed_types_sorts_by_class_then_value_then_id(string orderBy)
    {
        var statistics = await SeedAsync();
        var keys = orderBy.Split(',').Select(key => (Path: key.Split(' ')[0].Split('/')[1..], Descending: key.EndsWith(" desc", StringComparison.Ordinal))).ToList();
        var expected = statistics.Keys.Order(Comparer<string>.Create((a, b) => Compare(keys, statistics[a], statistics[b], a, b))).ToList();

        var page = await Client.GetJsonAsync("runs?$orderby=" + Uri.EscapeDataString(orderBy));

        Assert.That(Ids(page), Is.EqualTo(expected));
    }

    [TestCase("statistics/v", 5)]
    [TestCase("statistics/v desc", 5)]
    [TestCase("statistics/kind desc,statistics/v", 5)]
    [TestCase("status,statistics/v desc,displayName", 5)]
    [TestCase("statistics/per/n desc,startDateTime,statistics/v", 5)]
    [TestCase("statistics/v", 1)]
    [TestCase("statistics/v desc", 1)]
    public async Task Pages_return_every_run_once_in_the_unpaged_order(string orderBy, int pageSize)
    {
        await SeedAsync();
        var url = "runs?$orderby=" + Uri.EscapeDataString(orderBy);
        var unpaged = Ids(await Client.GetJsonAsync(url));

        var walked = new List<string>();
        for (string? next = url; next is not null;)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.TryAddWithoutValidation("Prefer", $"odata.maxpagesize={pageSize}");
            using var response = await Client.SendAsync(request);
            var page = await response.ReadJsonAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), page.ToJsonString());
            walked.AddRange(Ids(page));
            next = (string?)page["@odata.nextLink"];
            Assert.That(walked, Has.Count.LessThanOrEqualTo(Values.Length), "next-link loop");
        }

        Assert.Multiple(() =>
        {
            Assert.That(unpaged, Has.Count.EqualTo(Values.Length));
            Assert.That(walked, Is.EqualTo(unpaged));
        });
    }

    [Test]
    public async Task Statistics_itself_and_members_of_blockingError_are_not_sort_keys()
    {
        using var whole = await Client.GetAsync("runs?$orderby=statistics");
        using var error = await Client.GetAsync("runs?$orderby=blockingError/code");

        await whole.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidQueryOption", "$orderby");
        await error.AssertGraphErrorAsync(HttpStatusCode.NotImplemented, "queryFeatureNotSupported", "$orderby");
    }

    private static List<string> Ids(JsonObject page) => [.. page["value"]!.AsArray().Select(run => (string)run!["id"]!)];

    private static int Compare(List<(string[] Path, bool Descending)> keys, JsonObject left, JsonObject right, string leftId, string rightId)
    {
        foreach (var (path, descending) in keys)
        {
            var order = Compare(Member(left, path), Member(right, path));
            if (order != 0)
            {
                return descending ? -order : order;
            }
        }

        var byId = string.CompareOrdinal(leftId, rightId);
        return keys[^1].Descending ? -byId : byId;
    }

    private static JsonNode? Member(JsonObject statistics, string[] path) =>
        path.Aggregate((JsonNode?)statistics, (node, name) => node is JsonObject json ? json[name] : null);

    /// <summary>Class, then the number as a double (as both databases convert it), then the string by code point.</summary>
    private static int Compare(JsonNode? left, JsonNode? right)
    {
        var (leftClass, rightClass) = (Class(left), Class(right));
        if (leftClass != rightClass)
        {
            return leftClass.CompareTo(rightClass);
        }

        return leftClass switch
        {
            3 => Number(left!).CompareTo(Number(right!)),
            4 => string.CompareOrdinal(left!.GetValue<string>(), right!.GetValue<string>()),
            _ => 0,
        };
    }

    private static double Number(JsonNode node) => double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

    private static int Class(JsonNode? node) => node switch
    {
        null => 0,
        JsonObject or JsonArray => 5,
        _ => node.GetValueKind() switch
        {
            JsonValueKind.False => 1,
            JsonValueKind.True => 2,
            JsonValueKind.Number => 3,
            JsonValueKind.String => 4,
            _ => 0,
        },
    };
}
