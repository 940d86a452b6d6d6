using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Conformance.Protocol;

/// <summary>
/// The MUST items of OData Protocol §12 that the declared level (Capabilities.ConformanceLevel Advanced) rests on and
/// that the feature suites test in depth elsewhere (Tests/Query, Tests/Batch, Tests/Metadata, …): one check each here,
/// named after the item, so that every MUST of 4.0 and 4.01 Minimal, Intermediate and Advanced has a test in this folder
/// (or Tests/Conformance/QueryLanguage), or a reason in <see cref="NotApplicable"/>.
/// </summary>
public sealed class BaselineMustTests : ApiFixture
{
    private const string Cast = "microsoft.graph.industryData.outgoingFlowRun";

    private async Task<(string Outgoing, string Incoming)> CreateAsync() => (
        (string)(await Client.CreateRunAsync(RunBodies.Outgoing().With("displayName", "b")))["id"]!,
        (string)(await Client.CreateRunAsync(RunBodies.Incoming().With("displayName", "a")))["id"]!);

    private static List<string?> Ids(JsonObject page) => [.. page["value"]!.AsArray().Select(run => (string?)run!["id"])];

    /// <summary>4.0 Minimal 1 (service document), 2 (OData JSON), 3 (server-driven paging), 4 (OData-Version).</summary>
    [Test]
    public async Task Minimal40_1_2_3_4_service_document_json_paging_and_version()
    {
        await CreateAsync();
        using var root = await Client.GetAsync(string.Empty);
        var document = await root.ReadJsonAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "runs");
        request.Headers.TryAddWithoutValidation("Prefer", "odata.maxpagesize=1");
        using var paged = await Client.SendAsync(request);
        var page = await paged.ReadJsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That(document["value"]!.AsArray().Select(set => (string?)set!["name"]), Is.EquivalentTo(new[] { "runs", "subscriptions" }));
            Assert.That(root.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(root.Header("OData-Version"), Is.EqualTo("4.0"));
            Assert.That(page["value"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That((string?)page["@odata.nextLink"], Does.Contain("$skiptoken="));
        });
    }

    /// <summary>
    /// Updatable 19 (POST), 23 (PATCH), 24 (DELETE), 27 (Location of a created entity), 28 (OData-EntityId when a create
    /// answers 204), 18 (edit links: implicit, the entity-id of minimal metadata is its canonical URL, which takes PATCH).
    /// </summary>
    [Test]
    public async Task Updatable40_18_19_23_24_27_28_create_update_delete()
    {
        using var created = await Client.PostJsonAsync("runs", RunBodies.Outgoing());
        var location = created.Headers.Location!.ToString();
        using var minimal = await Client.SendJsonAsync(HttpMethod.Post, "runs", RunBodies.Outgoing().ToJsonString(),
            headers: new Dictionary<string, string> { ["Prefer"] = "return=minimal" });
        using var patched = await Client.SendJsonAsync(HttpMethod.Patch, location, """{"status":"failed"}""");
        using var deleted = await Client.DeleteAsync(location);
        using var gone = await Client.GetAsync(location);

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(location, Does.Match(@"/runs\('[^']+'\)$"));
            Assert.That(minimal.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(minimal.Header("OData-EntityId"), Is.EqualTo(minimal.Headers.Location!.ToString()));
            Assert.That(patched.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    /// <summary>4.0 Intermediate 3 ($select), 4 (cast to a derived type), 5 ($top), 7 and 7.1 ($filter with eq and ne).</summary>
    [Test]
    public async Task Intermediate40_3_4_5_7_select_cast_top_and_filter()
    {
        var (outgoing, incoming) = await CreateAsync();
        var selected = await Client.GetJsonAsync($"runs('{outgoing}')?$select=status");
        var cast = await Client.GetJsonAsync($"runs/{Cast}");
        var top = await Client.GetJsonAsync("runs?$top=1");
        var eq = await Client.GetJsonAsync($"runs?$filter=id eq '{incoming}'");
        var ne = await Client.GetJsonAsync($"runs?$filter=id ne '{incoming}'");

        Assert.Multiple(() =>
        {
            Assert.That(selected.Select(member => member.Key), Is.EqualTo(new[] { "@odata.context", "@odata.type", "@odata.etag", "status" }));
            Assert.That(Ids(cast), Is.EqualTo(new[] { outgoing }));
            Assert.That(Ids(top), Has.Count.EqualTo(1));
            Assert.That(Ids(eq), Is.EqualTo(new[] { incoming }));
            Assert.That(Ids(ne), Is.EqualTo(new[] { outgoing }));
        });
    }

    /// <summary>4.0 Advanced 2 (CSDL XML $metadata), 6 ($skip), 7 ($count), 8 ($orderby asc and desc), 11 (multipart batch).</summary>
    [Test]
    public async Task Advanced40_2_6_7_8_11_metadata_skip_count_orderby_and_batch()
    {
        var (outgoing, incoming) = await CreateAsync();
        using var metadata = await Client.GetAsync("$metadata", "application/xml");
        var ascending = await Client.GetJsonAsync("runs?$orderby=displayName asc&$count=true");
        var descending = await Client.GetJsonAsync("runs?$orderby=displayName desc&$skip=1");
        const string boundary = "batch_b";
        var body = $"--{boundary}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nGET runs/$count HTTP/1.1\r\n\r\n\r\n--{boundary}--\r\n";
        using var batch = await Client.SendJsonAsync(HttpMethod.Post, "$batch", body, $"multipart/mixed; boundary={boundary}");

        Assert.Multiple(async () =>
        {
            Assert.That(System.Xml.Linq.XDocument.Parse(await metadata.Content.ReadAsStringAsync()).Root!.Name.LocalName, Is.EqualTo("Edmx"));
            Assert.That(Ids(ascending), Is.EqualTo(new[] { incoming, outgoing }));
            Assert.That((long?)ascending["@odata.count"], Is.EqualTo(2));
            Assert.That(Ids(descending), Is.EqualTo(new[] { incoming }));
            Assert.That(batch.Content.Headers.ContentType?.MediaType, Is.EqualTo("multipart/mixed"));
            Assert.That(await batch.Content.ReadAsStringAsync(), Does.Contain("HTTP/1.1 200").And.Contain("\r\n2"));
        });
    }

    /// <summary>4.01 Minimal 6 (options without $), 8 (identifiers in $metadata's case); 4.01 Intermediate 4 (in), 5 ($select nested in $select).</summary>
    [Test]
    public async Task Minimal401_6_8_and_Intermediate401_4_5_unprefixed_options_identifiers_in_and_nested_select()
    {
        var (outgoing, incoming) = await CreateAsync();
        var unprefixed = await Client.GetJsonAsync("runs?orderby=displayName&top=1&select=id");
        var run = await Client.GetJsonAsync($"runs('{outgoing}')");
        var inList = await Client.GetJsonAsync($"runs?$filter=id in ('{incoming}','nope')");
        var nested = await Client.GetJsonAsync($"runs('{outgoing}')?$select=blockingError($select=code)");

        Assert.Multiple(() =>
        {
            Assert.That(Ids(unprefixed), Is.EqualTo(new[] { incoming }));
            Assert.That(run.Select(member => member.Key), Is.SupersetOf(new[] { "displayName", "startDateTime", "blockingError" }));
            Assert.That(Ids(inList), Is.EqualTo(new[] { incoming }));
            Assert.That(nested.Select(member => member.Key), Does.Contain("blockingError"));
        });
    }

    /// <summary>4.01 Advanced 6 (CSDL JSON $metadata) and 7 (JSON batch besides multipart).</summary>
    [Test]
    public async Task Advanced401_6_7_csdl_json_and_json_batch()
    {
        await CreateAsync();
        var csdl = await Client.GetJsonAsync("$metadata?$format=application/json");
        using var batch = await Client.PostJsonAsync("$batch", new JsonObject
        {
            ["requests"] = new JsonArray(new JsonObject { ["id"] = "1", ["method"] = "GET", ["url"] = "runs?$top=1" }),
        });
        var responses = (await batch.ReadJsonAsync())["responses"]!.AsArray();

        Assert.Multiple(() =>
        {
            Assert.That((string?)csdl["$EntityContainer"], Is.EqualTo("microsoft.graph.industryData.industryData"));
            Assert.That((int?)responses[0]!["status"], Is.EqualTo(200));
            Assert.That(responses[0]!["body"]!["value"]!.AsArray(), Has.Count.EqualTo(1));
        });
    }
}
