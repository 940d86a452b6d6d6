using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using IndustryData.OData.Service.Serialization;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IndustryData.OData.Tests.Serialization;

/// <summary>
/// The hand-written run writer against the OData serializer it stands in for: two services on one database, one with
/// ODataApi:RunJsonWriter off, answer the same requests; status, the headers a client reads and the body bytes must
/// be identical. Runs cover what the writer must escape, format or omit: nulls, nested errors, open members with
/// odd names and values, non-ASCII and HTML-sensitive text, fractional seconds and offsets.
/// </summary>
[NonParallelizable]
[TestFixture("")]
[TestFixture("graph/beta")]
public sealed class ODataSerializerParityTests(string routePrefix)
{
    private static readonly string[] ComparedHeaders = ["Content-Type", "OData-Version", "ETag", "Location", "OData-EntityId", "Preference-Applied"];

    private static readonly string[] Bodies =
    [
        """{"@odata.type":"#microsoft.graph.industryData.outgoingFlowRun","displayName":"Plain","startDateTime":"2026-01-31T09:30:00Z","status":"running","statistics":{}}""",
        """{"@odata.type":"#microsoft.graph.industryData.incomingFlowRun","displayName":"Quotes \" backslash \\ <script>&amp;'x' é 中文 😀 \u0001 tab\t","startDateTime":"2026-01-31T09:30:00.1234567+05:30","endDateTime":"2026-02-01T00:00:00.5-08:00","status":"completedWithWarnings","statistics":{"é name":"café <b>","nested":{"a":[1,2.50,-0.0,1e-7,12345678901234567890],"b":null,"c":true},"empty":{},"list":[],"unicode":"\u00e9\ud83d\ude00","html":"<>&'"}}""",
        """{"@odata.type":"#microsoft.graph.industryData.outgoingFlowRun","displayName":"Blocked","startDateTime":"2026-01-31T09:30:00Z","endDateTime":"2026-01-31T09:30:00.0000001Z","status":"failed","statistics":{"rowsRead":1},"blockingError":{"code":"quotaExceeded","message":"Quota <exceeded> \"now\"","target":"statistics","details":[{"code":"d1","message":"first","target":"t1"},{"code":null,"message":"second"}],"innerError":{"code":"inner","message":"inner message","requestId":"abc","date":"2026-01-31T09:30:00Z","extra":{"depth":[1,{"x":"y"}]},"details":[{"code":"i1"}]}}}""",
        """{"@odata.type":"#microsoft.graph.industryData.incomingFlowRun","displayName":"Error without extras","startDateTime":"2026-01-31T09:30:00Z","status":"completedWithErrors","statistics":{"n":0},"blockingError":{"code":"x"}}""",
        """{"@odata.type":"#microsoft.graph.industryData.outgoingFlowRun","displayName":"Empty inner","startDateTime":"2026-01-31T09:30:00Z","status":"completed","statistics":{"n":-1.5E+3},"blockingError":{"message":"m","details":[],"innerError":{}}}""",
    ];

    // Two runs of ~50 KB each: a page with both is written in pieces (RunJsonResult.FlushThreshold), a single one grows its buffer.
    private static readonly string[] LargeBodies = [LargeBody("Large A", 'a'), LargeBody("Large B", 'é')];

    private static readonly string[] AcceptHeaders =
    [
        "", "*/*", "application/json", "application/json;odata.metadata=minimal", "application/json; odata.metadata=minimal",
        "application/json;odata.metadata=full", "application/json;odata.metadata=none", "application/json;IEEE754Compatible=true",
        "application/json;odata.streaming=false", "application/json, text/plain, */*",
    ];

    private TestDatabase database = null!;
    private ServiceHost handWritten = null!;
    private ServiceHost stock = null!;
    private HttpClient handWrittenClient = null!;
    private HttpClient stockClient = null!;
    private List<string> ids = null!;

    [OneTimeSetUp]
    public async Task StartBothServicesAsync()
    {
        database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        handWritten = new ServiceHost(database, new Dictionary<string, string?> { ["ODataApi:RoutePrefix"] = routePrefix });
        handWrittenClient = WithServiceRoot(handWritten.CreateAuthorizedClient());
        ids = [];
        foreach (var body in Bodies.Concat(LargeBodies))
        {
            using var created = await handWrittenClient.SendAsync(Json(HttpMethod.Post, "runs", body));
            Assert.That((int)created.StatusCode, Is.EqualTo(201), await created.Content.ReadAsStringAsync());
            ids.Add((string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!);
        }

        stock = new ServiceHost(database, new Dictionary<string, string?> { ["ODataApi:RunJsonWriter"] = "false", ["ODataApi:RoutePrefix"] = routePrefix });
        stockClient = WithServiceRoot(stock.CreateAuthorizedClient());
    }

    [OneTimeTearDown]
    public async Task StopBothServicesAsync()
    {
        handWrittenClient.Dispose();
        stockClient.Dispose();
        await handWritten.DisposeAsync();
        await stock.DisposeAsync();
        await database.DisposeAsync();
    }

    public static IEnumerable<string> CollectionUrls() =>
    [
        "runs", "runs?$top=2", "runs?$top=2&$skip=1", "runs?$count=true", "runs?$count=true&$top=2", "runs?$skip=4",
        "runs?$filter=status eq 'failed'", "runs?$filter=displayName eq 'nothing'", "runs?$orderby=displayName desc&$top=3",
        "runs/microsoft.graph.industryData.outgoingFlowRun", "runs/microsoft.graph.industryData.incomingFlowRun?$top=1&$count=true",
        "runs?$select=displayName", "runs?$format=application/json", "runs?top=1",
    ];

    [Test]
    public async Task Collections_are_written_byte_for_byte_as_the_odata_serializer_writes_them(
        [ValueSource(nameof(CollectionUrls))] string url, [ValueSource(nameof(AcceptHeaders))] string accept)
    {
        await AssertSameAsync(() => Get(url, accept));
    }

    [Test]
    public async Task Pages_with_a_next_link_and_applied_preferences_are_identical([Values("odata.maxpagesize=2", "odata.maxpagesize=2, odata.include-annotations=\"*\"")] string prefer)
    {
        await AssertSameAsync(() =>
        {
            var request = Get("runs?$count=true", "application/json");
            request.Headers.TryAddWithoutValidation("Prefer", prefer);
            return request;
        });
    }

    [Test]
    public async Task Request_headers_that_could_change_the_format_leave_both_writers_identical(
        [Values("OData-MaxVersion: 4.01", "OData-MaxVersion: 4.0", "OData-Version: 4.01", "Accept-Charset: utf-8", "Accept-Charset: iso-8859-1",
            "Prefer: odata.include-annotations=\"*\"", "Prefer: return=representation", "client-request-id: abc")] string header,
        [Values("runs?$top=3&$count=true", "runs/microsoft.graph.industryData.incomingFlowRun")] string url)
    {
        var (name, value) = (header[..header.IndexOf(':')], header[(header.IndexOf(':') + 1)..].Trim());
        var (mine, theirs) = await BothAsync(() =>
        {
            var request = Get(url, "application/json");
            request.Headers.TryAddWithoutValidation(name, value);
            return request;
        });

        AssertSame(mine, theirs, null, null);
        Assert.Multiple(() =>
        {
            // A client allowing 4.01 is answered as 4.01 (docs/protocol.md); the payload is the same 4.0-compatible JSON.
            Assert.That(mine.Headers["OData-Version"], Is.EqualTo(header == "OData-MaxVersion: 4.01" ? "4.01" : "4.0"));
            Assert.That(mine.Body, Does.StartWith("{\"@odata.context\":"));
        });
    }

    [Test]
    public async Task Clients_that_allow_4_01_read_the_same_bytes_as_everyone_else(
        [Values("OData-MaxVersion", "OData-Version", "OData-MinVersion")] string header, [Range(0, 4)] int run)
    {
        foreach (var url in new[] { $"runs('{ids[run]}')", "runs?$count=true&$top=3", "runs?$select=displayName,status", $"runs('{ids[run]}')/statistics" })
        {
            var (plain, _) = await BothAsync(() => Get(url, "application/json"));
            var (mine, theirs) = await BothAsync(() =>
            {
                var request = Get(url, "application/json");
                request.Headers.TryAddWithoutValidation(header, "4.01");
                return request;
            });

            Assert.That(mine.Status, Is.EqualTo(200), url + " " + mine.Body);
            AssertSame(mine, theirs, null, null);
            Assert.Multiple(() =>
            {
                // The same bytes as a 4.0 client gets; only OData-Version says 4.01 to a client whose OData-MaxVersion allows it.
                Assert.That(mine.Body, Is.EqualTo(plain.Body), url);
                Assert.That(mine.Headers["OData-Version"], Is.EqualTo(header == "OData-MaxVersion" ? "4.01" : "4.0"), url);
            });
        }
    }

    [Test]
    public async Task Single_runs_are_identical_in_every_key_form([Range(0, 4)] int run, [Values("", "application/json", "application/json;odata.metadata=full")] string accept)
    {
        var id = ids[run];
        var type = run % 2 == 0 ? "outgoingFlowRun" : "incomingFlowRun";
        var cast = "microsoft.graph.industryData." + type;
        foreach (var url in new[]
        {
            $"runs('{id}')", $"runs/{id}", $"runs(id='{id}')", $"runs('{id}')/{cast}", $"runs/{id}/{cast}", $"runs(id='{id}')/{cast}",
            $"runs/{cast}('{id}')", $"runs/{cast}(id='{id}')", $"runs/{cast}/{id}",
        })
        {
            var (mine, theirs) = await BothAsync(() => Get(url, accept));
            Assert.That(mine.Status, Is.EqualTo(200), url);
            AssertSame(mine, theirs, null, null);
        }
    }

    [Test]
    public async Task Creates_and_updates_answer_identically([Range(0, 4)] int body, [Values("", "application/json;odata.metadata=none")] string accept)
    {
        var (mine, theirs) = await BothAsync(() => Json(HttpMethod.Post, "runs", Bodies[body], accept));
        Assert.That(mine.Status, Is.EqualTo(201), mine.Body);
        AssertSame(mine, theirs, IdOf(mine.Body), IdOf(theirs.Body));

        var patch = """{"displayName":"Renamed é <x>","statistics":{"z":[1.10]}}""";
        var (patched, stockPatched) = await BothAsync(
            () => Json(HttpMethod.Patch, $"runs('{IdOf(mine.Body)}')", patch, accept, "return=representation"),
            () => Json(HttpMethod.Patch, $"runs('{IdOf(theirs.Body)}')", patch, accept, "return=representation"));
        AssertSame(patched, stockPatched, IdOf(mine.Body), IdOf(theirs.Body));

        var replacement = Bodies[body].Replace("\"displayName\":\"", "\"displayName\":\"Replaced ", StringComparison.Ordinal);
        var (replaced, stockReplaced) = await BothAsync(
            () => Json(HttpMethod.Put, $"runs('{IdOf(mine.Body)}')", replacement, accept, "return=representation"),
            () => Json(HttpMethod.Put, $"runs('{IdOf(theirs.Body)}')", replacement, accept, "return=representation"));
        Assert.That(replaced.Status, Is.EqualTo(200), replaced.Body);
        AssertSame(replaced, stockReplaced, IdOf(mine.Body), IdOf(theirs.Body));
    }

    [Test]
    public async Task Creates_on_a_type_cast_segment_answer_identically()
    {
        const string body = """{"displayName":"Cast","startDateTime":"2026-01-31T09:30:00Z","status":"running","statistics":{"a":1}}""";
        var (mine, theirs) = await BothAsync(() => Json(HttpMethod.Post, "runs/microsoft.graph.industryData.incomingFlowRun", body));
        AssertSame(mine, theirs, IdOf(mine.Body), IdOf(theirs.Body));
    }

    [Test]
    public void The_setting_chooses_the_writer()
    {
        // A guard on the parity tests themselves: were the setting ignored, both services would use the same writer.
        Assert.That(handWritten.Services.GetRequiredService<RunOutput>().HandWritten, Is.True);
        Assert.That(stock.Services.GetRequiredService<RunOutput>().HandWritten, Is.False);
    }

    private HttpClient WithServiceRoot(HttpClient client)
    {
        client.BaseAddress = new Uri(client.BaseAddress!, routePrefix.Length == 0 ? "/" : "/" + routePrefix + "/");
        return client;
    }

    private async Task AssertSameAsync(Func<HttpRequestMessage> request)
    {
        var (mine, theirs) = await BothAsync(request);
        AssertSame(mine, theirs, null, null);
    }

    private Task<(Answer Mine, Answer Theirs)> BothAsync(Func<HttpRequestMessage> request) => BothAsync(request, request);

    private async Task<(Answer Mine, Answer Theirs)> BothAsync(Func<HttpRequestMessage> mine, Func<HttpRequestMessage> theirs) =>
        (await AnswerAsync(handWrittenClient, mine()), await AnswerAsync(stockClient, theirs()));

    private static async Task<Answer> AnswerAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        using (var response = await client.SendAsync(request))
        {
            var headers = ComparedHeaders.ToDictionary(name => name, name =>
                response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null);
            return new Answer((int)response.StatusCode, headers, await response.Content.ReadAsStringAsync());
        }
    }

    private static void AssertSame(Answer mine, Answer theirs, string? myId, string? theirId)
    {
        var theirBody = theirId is null ? theirs.Body : theirs.Body.Replace(theirId, myId, StringComparison.Ordinal);
        Assert.Multiple(() =>
        {
            Assert.That(mine.Status, Is.EqualTo(theirs.Status), "status");
            foreach (var name in ComparedHeaders)
            {
                var theirHeader = theirId is null ? theirs.Headers[name] : theirs.Headers[name]?.Replace(theirId, myId, StringComparison.Ordinal);
                Assert.That(mine.Headers[name], Is.EqualTo(theirHeader), name);
            }

            Assert.That(mine.Body, Is.EqualTo(theirBody), "body");
        });
    }

    private static string LargeBody(string name, char filler)
    {
        var members = Enumerable.Range(0, 500).Select(i => $"\"m{i}\":[{i},\"{new string(filler, 60)}\",{{\"n\":{i}.5}}]");
        return "{\"@odata.type\":\"#microsoft.graph.industryData.outgoingFlowRun\",\"displayName\":\"" + name
            + "\",\"startDateTime\":\"2026-01-31T09:30:00Z\",\"status\":\"running\",\"statistics\":{\"text\":\"" + new string(filler, 8000) + "\","
            + string.Join(",", members) + "}}";
    }

    private static string IdOf(string body) => (string)JsonNode.Parse(body)!["id"]!;

    private static HttpRequestMessage Get(string url, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return request;
    }

    private static HttpRequestMessage Json(HttpMethod method, string url, string body, string accept = "", string? prefer = null)
    {
        var request = Get(url, accept);
        request.Method = method;
        request.Content = new StringContent(body, Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (prefer is not null)
        {
            request.Headers.TryAddWithoutValidation("Prefer", prefer);
        }

        return request;
    }

    private sealed record Answer(int Status, Dictionary<string, string?> Headers, string Body);
}
