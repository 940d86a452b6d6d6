using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;
using IndustryData.OData.Tests.Subscriptions;

namespace IndustryData.OData.Tests.Conformance.Protocol;

/// <summary>
/// OData 4.0 Advanced #12 (resource path conventions: $all, URL Conventions §4.15) and #15 (cross-join queries, §4.14)
/// across both entity sets: $all is every run and the caller's subscriptions, $crossjoin(runs,subscriptions) every run
/// with every subscription of the caller; both paged by a cursor, with $top, $skip, $count and /$count; options that
/// would restrict or order them are a 501 naming the combination.
/// </summary>
public sealed class ServiceWideCollectionTests : SubscriptionFixture
{
    private const string EntityType = "#microsoft.graph.subscription";

    private string root = null!;

    [SetUp]
    public void ReadRoot() => root = Client.BaseAddress!.AbsoluteUri.TrimEnd('/');

    /// <summary>12. $all: Collection(Edm.EntityType), each entity with its own context URL and type; another caller's subscription is not in it.</summary>
    [Test]
    public async Task Advanced40_12_all_entities_are_runs_and_the_callers_subscriptions()
    {
        var (runs, subscriptions) = await CreateAsync();
        using var other = Host.CreateAuthorizedClient(TestTokens.Write("user-2"));
        await SubscribeAsync(Subscription("runs?$filter=status eq 'failed'"), other);

        var all = await Client.GetJsonAsync("$all?$count=true");
        var pages = await FollowAsync("$all", pageSize: 2);
        var window = await Client.GetJsonAsync("$all?$skip=2&$top=2");
        var pastRuns = await Client.GetJsonAsync("$all?$skip=4");
        var onlySubscriptions = await Client.GetJsonAsync("$all/microsoft.graph.subscription");
        var asEntities = await Client.GetJsonAsync("$all/microsoft.graph.entity?$top=1");
        var none = await Client.GetJsonAsync("$crossjoin(runs,subscriptions)?$top=0&$count=true");
        using var count = await Client.GetAsync("$all/$count", "text/plain");
        using var othersCount = await other.GetAsync("$all/$count", "text/plain");

        Assert.Multiple(async () =>
        {
            Assert.That((string?)all["@odata.context"], Is.EqualTo(root + "/$metadata#Collection(Edm.EntityType)"));
            Assert.That((int?)all["@odata.count"], Is.EqualTo(5));
            Assert.That(Ids(all), Is.EqualTo(runs.Concat(subscriptions)));
            Assert.That(Items(all).Select(item => (string?)item["@odata.context"]), Is.EqualTo(Items(all).Select(item => item["@odata.type"]!.ToString() switch
            {
                EntityType => $"{root}/$metadata#subscriptions/$entity",
                var type => $"{root}/$metadata#runs/{type[1..]}/$entity",
            })));
            Assert.That(Items(all).Take(3).Select(item => (string?)item["@odata.type"]), Is.EquivalentTo(new[]
            {
                "#microsoft.graph.industryData.outgoingFlowRun", "#microsoft.graph.industryData.outgoingFlowRun", "#microsoft.graph.industryData.incomingFlowRun",
            }));
            Assert.That((string?)Items(all)[3]["@odata.type"], Is.EqualTo(EntityType));
            Assert.That(Items(all)[3]["clientState"], Is.Null, "write-only, as GET subscriptions answers");
            Assert.That(pages.SelectMany(Ids), Is.EqualTo(runs.Concat(subscriptions)), "every entity once, across the sets' boundary");
            Assert.That(pages.Select(page => Ids(page).Count), Is.EqualTo(new[] { 2, 2, 1 }));
            Assert.That((string?)pages[0]["@odata.nextLink"], Does.StartWith(root + "/$all?$skiptoken="));
            Assert.That(Ids(window), Is.EqualTo(new[] { runs[2], subscriptions[0] }));
            Assert.That(window.ContainsKey("@odata.nextLink"), Is.False, "$top is met");
            Assert.That(Ids(pastRuns), Is.EqualTo(new[] { subscriptions[1] }), "$skip past every run");
            Assert.That(Ids(onlySubscriptions), Is.EqualTo(subscriptions));
            Assert.That(Ids(asEntities), Is.EqualTo(new[] { runs[0] }));
            Assert.That(Items(none), Is.Empty, "$top=0");
            Assert.That((int?)none["@odata.count"], Is.EqualTo(6));
            Assert.That(await count.Content.ReadAsStringAsync(), Is.EqualTo("5"));
            Assert.That(await othersCount.Content.ReadAsStringAsync(), Is.EqualTo("4"), "3 runs and user-2's one subscription");
        });
    }

    /// <summary>15. $crossjoin(runs,subscriptions): one row per run and subscription, members as navigation links or expanded.</summary>
    [Test]
    public async Task Advanced40_15_crossjoin_of_runs_and_subscriptions()
    {
        var (runs, subscriptions) = await CreateAsync();
        var product = runs.SelectMany(run => subscriptions.Select(subscription => $"runs('{run}') subscriptions('{subscription}')")).ToList();

        var links = await Client.GetJsonAsync("$crossjoin(runs,subscriptions)?$count=true");
        var pages = await FollowAsync("$crossjoin(runs,subscriptions)", pageSize: 4);
        var window = await Client.GetJsonAsync("$crossjoin(runs,subscriptions)?$skip=3&$top=2");
        var expanded = await Client.GetJsonAsync("$crossjoin(subscriptions,runs)?$expand=runs,subscriptions&$top=1");
        var halfExpanded = await Client.GetJsonAsync("$crossjoin(runs,subscriptions)?$expand=subscriptions&$top=1");
        using var count = await Client.GetAsync("$crossjoin(runs,subscriptions)/$count", "text/plain");
        using var nobody = Host.CreateAuthorizedClient(TestTokens.Write("user-3"));
        var empty = await nobody.GetJsonAsync("$crossjoin(runs,subscriptions)?$count=true");

        Assert.Multiple(async () =>
        {
            Assert.That((string?)links["@odata.context"], Is.EqualTo(root + "/$metadata#Collection(Edm.ComplexType)"));
            Assert.That((int?)links["@odata.count"], Is.EqualTo(6));
            Assert.That(Rows(links), Is.EqualTo(product));
            Assert.That(pages.SelectMany(Rows), Is.EqualTo(product), "every pair once, across pages");
            Assert.That(pages.Select(page => Rows(page).Count), Is.EqualTo(new[] { 4, 2 }));
            Assert.That((string?)pages[0]["@odata.nextLink"], Does.StartWith(root + "/$crossjoin(runs,subscriptions)?$skiptoken="));
            Assert.That(Rows(window), Is.EqualTo(product.Skip(3).Take(2)));
            Assert.That(Items(expanded)[0].Select(member => member.Key), Is.EqualTo(new[] { "subscriptions", "runs" }), "members in the order the URL names the sets");
            Assert.That((string?)Items(expanded)[0]["runs"]!["id"], Is.EqualTo(runs[0]));
            Assert.That((string?)Items(expanded)[0]["runs"]!["@odata.type"], Does.StartWith("#microsoft.graph.industryData."));
            Assert.That((string?)Items(expanded)[0]["subscriptions"]!["id"], Is.EqualTo(subscriptions[0]));
            Assert.That((string?)Items(halfExpanded)[0]["runs@odata.navigationLink"], Is.EqualTo($"runs('{runs[0]}')"));
            Assert.That((string?)Items(halfExpanded)[0]["subscriptions"]!["resource"], Is.EqualTo("runs"));
            Assert.That(await count.Content.ReadAsStringAsync(), Is.EqualTo("6"));
            Assert.That(Items(empty), Is.Empty, "a caller without subscriptions: an empty product");
            Assert.That((int?)empty["@odata.count"], Is.EqualTo(0));
        });
    }

    [TestCase("$all?$filter=id eq 'x'", "$filter")]
    [TestCase("$all?$orderby=id", "$orderby")]
    [TestCase("$all?$select=id", "$select")]
    [TestCase("$all?$search=roster", "$search")]
    [TestCase("$all/microsoft.graph.subscription?$filter=resource eq 'runs'", "$filter")]
    [TestCase("$crossjoin(runs,subscriptions)?$filter=runs/status eq subscriptions/resource", "$filter")]
    [TestCase("$crossjoin(runs,subscriptions)?$orderby=runs/displayName", "$orderby")]
    [TestCase("$crossjoin(runs,subscriptions)?$expand=runs($select=status)", "$expand")]
    public async Task Restricting_or_ordering_both_sets_is_a_501_naming_the_combination(string url, string option)
    {
        using var response = await Client.GetAsync(url);

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.NotImplemented, "queryFeatureNotSupported", option);
        Assert.That((string?)error["message"], Does.Contain(url[..url.IndexOf('?', StringComparison.Ordinal)].Replace("/microsoft.graph.subscription", string.Empty, StringComparison.Ordinal)));
    }

    /// <summary>4.0 Advanced #9 ($expand) across both sets: on $all, * expands nothing (no navigation properties); on the cross join, * is every member.</summary>
    [Test]
    public async Task Expand_star_is_the_no_op_on_all_and_every_member_on_the_cross_join()
    {
        await CreateAsync();

        var all = await Client.GetStringAsync("$all?$top=3");
        var allExpanded = await Client.GetStringAsync("$all?$top=3&$expand=*");
        var allLevels = await Client.GetStringAsync("$all?$top=3&$expand=*($levels=2)");
        var members = await Client.GetStringAsync("$crossjoin(runs,subscriptions)?$top=3&$expand=runs,subscriptions");
        var star = await Client.GetStringAsync("$crossjoin(runs,subscriptions)?$top=3&$expand=*");
        using var named = await Client.GetAsync("$all?$expand=runs");

        Assert.Multiple(async () =>
        {
            Assert.That(allExpanded, Is.EqualTo(all));
            Assert.That(allLevels, Is.EqualTo(all));
            Assert.That(star, Is.EqualTo(members));
            await named.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidQueryOption", "$expand");
        });
    }

    [TestCase("$all?$skiptoken=bm90LWEtdG9rZW4", HttpStatusCode.BadRequest, "invalidSkipToken")]
    [TestCase("$all?$top=-1", HttpStatusCode.BadRequest, "invalidQueryOption")]
    [TestCase("$all?$count=maybe", HttpStatusCode.BadRequest, "invalidQueryOption")]
    [TestCase("$all?$nope=1", HttpStatusCode.BadRequest, "unknownQueryOption")]
    [TestCase("$crossjoin(runs,subscriptions)?$expand=nope", HttpStatusCode.BadRequest, "invalidExpand")]
    [TestCase("$crossjoin(runs,subscriptions,runs)", HttpStatusCode.BadRequest, "duplicateEntitySet")]
    [TestCase("$all/microsoft.graph.subscription/x", HttpStatusCode.NotFound, "resourceNotFound")]
    [TestCase("$crossjoin", HttpStatusCode.NotFound, "resourceNotFound")]
    public async Task Bad_requests_are_graph_errors(string url, HttpStatusCode status, string code)
    {
        using var response = await Client.GetAsync(url);

        await response.AssertGraphErrorAsync(status, code);
    }

    [Test]
    public async Task HEAD_and_an_asynchronous_request_read_them_as_GET_does()
    {
        await CreateAsync();

        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "$crossjoin(runs,subscriptions)"));
        using var accepted = await Async.AsyncRequestTests.SendAsyncAsync(Client, HttpMethod.Get, "$all?$count=true");
        using var final = await Async.AsyncRequestTests.AwaitFinalAsync(Client, accepted.Headers.Location!);
        var (status, _, body) = await Async.AsyncRequestTests.ReadMessageAsync(final);

        Assert.Multiple(async () =>
        {
            Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await head.Content.ReadAsByteArrayAsync(), Is.Empty);
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(status, Is.EqualTo(200), body);
            Assert.That((int?)JsonNode.Parse(body)!["@odata.count"], Is.EqualTo(5));
        });
    }

    [Test]
    public async Task A_cursor_of_one_resource_is_refused_by_another()
    {
        await CreateAsync();
        var page = await FollowAsync("$all", pageSize: 1, pages: 1);
        var token = Uri.UnescapeDataString(((string)page[0]["@odata.nextLink"]!).Split("$skiptoken=")[1]);

        using var response = await Client.GetAsync("$crossjoin(runs,subscriptions)?$skiptoken=" + Uri.EscapeDataString(token));

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidSkipToken", "$skiptoken");
    }

    private async Task<(List<string> Runs, List<string> Subscriptions)> CreateAsync()
    {
        var runs = new List<string>();
        foreach (var body in new[] { RunBodies.Outgoing(), RunBodies.Outgoing(), RunBodies.Incoming() })
        {
            runs.Add((string)(await Client.CreateRunAsync(body))["id"]!);
        }

        var subscriptions = new List<string>
        {
            (string)(await SubscribeAsync(Subscription("runs")))["id"]!,
            (string)(await SubscribeAsync(Subscription("runs", changeType: "created")))["id"]!,
        };
        // Both sets are read in the order of their keys.
        return ([.. runs.Order(StringComparer.Ordinal)], [.. subscriptions.Order(StringComparer.Ordinal)]);
    }

    /// <summary>The pages of <paramref name="url"/> at <paramref name="pageSize"/> (Prefer: maxpagesize), following next links.</summary>
    private async Task<List<JsonObject>> FollowAsync(string url, int pageSize, int pages = 10)
    {
        var result = new List<JsonObject>();
        string? next = url;
        while (next is not null && result.Count < pages)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.TryAddWithoutValidation("Prefer", $"maxpagesize={pageSize}");
            using var response = await Client.SendAsync(request);
            var page = await response.ReadJsonAsync();
            Assert.That((int)response.StatusCode, Is.EqualTo(200), page.ToJsonString());
            result.Add(page);
            next = (string?)page["@odata.nextLink"];
        }

        return result;
    }

    private static List<JsonObject> Items(JsonObject page) => [.. page["value"]!.AsArray().Select(item => item!.AsObject())];

    private static List<string> Ids(JsonObject page) => [.. Items(page).Select(item => (string)item["id"]!)];

    private static List<string> Rows(JsonObject page) =>
        [.. Items(page).Select(row => $"{(string?)row["runs@odata.navigationLink"]} {(string?)row["subscriptions@odata.navigationLink"]}")];
}
