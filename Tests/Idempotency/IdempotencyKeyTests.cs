using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Tests.Idempotency;

/// <summary>Idempotency-Key on creates (contract §5): one run per key, caller and request; the first answer replayed.</summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class IdempotencyKeyTests(TestProvider provider) : ApiFixture(provider)
{
    private const string Key = "8e03978e-40d5-43e8-bc93-6894a57f9324";

    private Task<HttpResponseMessage> PostAsync(JsonObject body, string? key = Key, string url = "runs", HttpClient? client = null, Dictionary<string, string>? headers = null)
    {
        headers ??= [];
        if (key is not null)
        {
            headers["Idempotency-Key"] = key;
        }

        return (client ?? Client).SendJsonAsync(HttpMethod.Post, url, body.ToJsonString(), headers: headers);
    }

    [Test]
    public async Task A_repeat_with_the_same_key_replays_the_first_answer_without_creating()
    {
        using var first = await PostAsync(RunBodies.Outgoing());
        var firstBody = await first.Content.ReadAsStringAsync();
        using var repeat = await PostAsync(RunBodies.Outgoing());
        var repeatBody = await repeat.Content.ReadAsStringAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created), firstBody);
            Assert.That(first.Headers.Contains("Idempotent-Replayed"), Is.False, "the first answer is not a replay");
            Assert.That(repeat.StatusCode, Is.EqualTo(HttpStatusCode.Created), repeatBody);
            Assert.That(repeat.Header("Idempotent-Replayed"), Is.EqualTo("true"));
            Assert.That(repeat.Headers.Location, Is.EqualTo(first.Headers.Location));
            Assert.That(repeat.Header("OData-EntityId"), Is.EqualTo(first.Header("OData-EntityId")));
            Assert.That(repeat.Headers.ETag, Is.EqualTo(first.Headers.ETag));
            Assert.That(repeatBody, Is.EqualTo(firstBody), "the same body, byte for byte");
            Assert.That(await Host.CountRunsAsync(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Quoted_and_bare_spellings_are_the_same_key()
    {
        var created = await (await PostAsync(RunBodies.Outgoing(), "\"abc-123\"")).ReadJsonAsync();
        using var bare = await PostAsync(RunBodies.Outgoing(), "abc-123");

        Assert.Multiple(async () =>
        {
            Assert.That(bare.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(bare.Header("Idempotent-Replayed"), Is.EqualTo("true"));
            Assert.That((string?)(await bare.ReadJsonAsync())["id"], Is.EqualTo((string?)created["id"]));
            Assert.That(await Host.CountRunsAsync(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Keys_are_case_sensitive()
    {
        await Client.CreateRunAsync(RunBodies.Outgoing());
        using var lower = await PostAsync(RunBodies.Outgoing(), "key-a");
        using var upper = await PostAsync(RunBodies.Outgoing(), "KEY-A");

        Assert.Multiple(async () =>
        {
            Assert.That(upper.Headers.Contains("Idempotent-Replayed"), Is.False);
            Assert.That(await Host.CountRunsAsync(), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Prefer_return_minimal_is_honoured_on_a_replay()
    {
        using var first = await PostAsync(RunBodies.Outgoing());
        using var repeat = await PostAsync(RunBodies.Outgoing(), headers: new() { ["Prefer"] = "return=minimal" });

        Assert.Multiple(() =>
        {
            Assert.That(repeat.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(repeat.Headers.Location, Is.EqualTo(first.Headers.Location));
            Assert.That(repeat.Headers.ETag, Is.EqualTo(first.Headers.ETag));
            Assert.That(repeat.Header("Idempotent-Replayed"), Is.EqualTo("true"));
        });
    }

    [Test]
    public async Task The_same_key_with_another_body_is_a_422_and_stores_nothing()
    {
        await Client.CreateRunAsync(RunBodies.Outgoing());
        using var first = await PostAsync(RunBodies.Outgoing());
        using var other = await PostAsync(RunBodies.Outgoing().With("displayName", "Another run"));

        await other.AssertGraphErrorAsync(HttpStatusCode.UnprocessableEntity, "idempotencyKeyReused", "Idempotency-Key");
        Assert.That(await Host.CountRunsAsync(), Is.EqualTo(2));
    }

    [Test]
    public async Task The_same_key_and_body_on_another_URL_is_a_422()
    {
        var body = RunBodies.Outgoing();
        using var first = await PostAsync(body);
        using var cast = await PostAsync(body, url: "runs/microsoft.graph.industryData.outgoingFlowRun");

        await cast.AssertGraphErrorAsync(HttpStatusCode.UnprocessableEntity, "idempotencyKeyReused", "Idempotency-Key");
        Assert.That(await Host.CountRunsAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task The_type_cast_create_replays_too()
    {
        var body = RunBodies.Incoming().Without("@odata.type");
        const string url = "runs/microsoft.graph.industryData.incomingFlowRun";
        var created = await (await PostAsync(body, url: url)).ReadJsonAsync();
        using var repeat = await PostAsync(body, url: url);

        Assert.Multiple(async () =>
        {
            Assert.That(repeat.Header("Idempotent-Replayed"), Is.EqualTo("true"));
            Assert.That((string?)(await repeat.ReadJsonAsync())["id"], Is.EqualTo((string?)created["id"]));
            Assert.That(await Host.CountRunsAsync(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Another_callers_identical_key_is_independent()
    {
        using var other = Host.CreateAuthorizedClient(TestTokens.Write(subject: "user-2"));
        var mine = await (await PostAsync(RunBodies.Outgoing())).ReadJsonAsync();
        using var theirs = await PostAsync(RunBodies.Outgoing(), client: other);
        var theirsBody = await theirs.ReadJsonAsync();
        using var theirRepeat = await PostAsync(RunBodies.Outgoing(), client: other);

        Assert.Multiple(async () =>
        {
            Assert.That(theirs.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(theirs.Headers.Contains("Idempotent-Replayed"), Is.False, "another caller must never replay my answer");
            Assert.That((string?)theirsBody["id"], Is.Not.EqualTo((string?)mine["id"]));
            Assert.That((string?)(await theirRepeat.ReadJsonAsync())["id"], Is.EqualTo((string?)theirsBody["id"]));
            Assert.That(await Host.CountRunsAsync(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_create_refused_with_400_does_not_use_up_the_key()
    {
        using var invalid = await PostAsync(RunBodies.Outgoing().With("status", "Completed"));
        Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));

        using var fixedBody = await PostAsync(RunBodies.Outgoing());
        Assert.Multiple(async () =>
        {
            Assert.That(fixedBody.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(fixedBody.Headers.Contains("Idempotent-Replayed"), Is.False);
            Assert.That(await Host.CountRunsAsync(), Is.EqualTo(1));
        });
    }

    [TestCase(" ", TestName = "Blank key")]
    [TestCase("\"\"", TestName = "Empty quoted key")]
    [TestCase("\"abc", TestName = "Unterminated quote")]
    [TestCase("\"a\"b\"", TestName = "Unescaped quote inside")]
    [TestCase("a\u0001b", TestName = "Control character")]
    [TestCase("x", 256, TestName = "256 characters")]
    public async Task An_invalid_key_is_a_400_naming_the_header(string key, int repeat = 1)
    {
        using var response = await PostAsync(RunBodies.Outgoing(), string.Concat(Enumerable.Repeat(key, repeat)));

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidIdempotencyKey", "Idempotency-Key");
        Assert.Multiple(async () =>
        {
            Assert.That((string?)error["message"], Does.Contain("Idempotency-Key"));
            Assert.That(await Host.CountRunsAsync(), Is.Zero);
        });
    }

    [Test]
    public async Task A_key_of_255_characters_is_accepted()
    {
        using var response = await PostAsync(RunBodies.Outgoing(), new string('k', 255));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Two_key_headers_are_a_400()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "runs") { Content = new StringContent(RunBodies.Outgoing().ToJsonString()) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", ["a", "b"]);
        using var response = await Client.SendAsync(request);

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidIdempotencyKey", "Idempotency-Key");
    }

    [Test]
    public async Task A_replay_of_a_run_deleted_since_is_a_404_that_says_so()
    {
        var created = await (await PostAsync(RunBodies.Outgoing())).ReadJsonAsync();
        using (var delete = await Client.DeleteAsync($"runs('{created["id"]}')"))
        {
            Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        using var repeat = await PostAsync(RunBodies.Outgoing());

        var error = await repeat.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound", "Idempotency-Key");
        Assert.Multiple(async () =>
        {
            Assert.That((string?)error["message"], Does.Contain((string)created["id"]!).And.Contain("deleted"));
            Assert.That(await Host.CountRunsAsync(), Is.Zero, "a used key never creates again while it lives");
        });
    }

    [Test]
    public async Task Thirty_two_clients_with_the_same_key_at_once_make_one_run()
    {
        const int clients = 32;
        using var start = new Barrier(clients);
        var answers = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait();
            using var response = await PostAsync(RunBodies.Outgoing());
            return (Status: (int)response.StatusCode, Replayed: response.Header("Idempotent-Replayed") == "true",
                RetryAfter: response.Headers.RetryAfter?.Delta, Body: await response.Content.ReadAsStringAsync());
        })));

        var created = answers.Where(a => a.Status == 201).ToList();
        var ids = created.Select(a => (string?)JsonNode.Parse(a.Body)!["id"]).Distinct().ToList();
        TestContext.Out.WriteLine($"32 clients, one key: {created.Count(a => !a.Replayed)} created, {created.Count(a => a.Replayed)} replayed, {answers.Count(a => a.Status == 409)} told 409");
        Assert.Multiple(async () =>
        {
            Assert.That(answers.Where(a => a.Status is not (201 or 409)).Select(a => $"{a.Status} {a.Body}"), Is.Empty);
            Assert.That(created.Count(a => !a.Replayed), Is.EqualTo(1), "exactly one create");
            Assert.That(ids, Has.Count.EqualTo(1), "every 201 names the same run");
            Assert.That(answers.Where(a => a.Status == 409).Select(a => a.RetryAfter), Is.All.EqualTo(TimeSpan.FromSeconds(1)), "409 with Retry-After");
            Assert.That(answers.Where(a => a.Status == 409).Select(a => (string?)JsonNode.Parse(a.Body)!["error"]!["innerError"]!["code"]), Is.All.EqualTo("idempotencyKeyInFlight"));
            Assert.That(await Host.CountRunsAsync(), Is.EqualTo(1), "never two runs");
        });
    }

    [Test]
    public async Task Repeats_among_new_keyed_and_unkeyed_creates_at_once_replay_and_the_others_are_stored()
    {
        // Creates that arrive together are committed together; repeats of used keys among them meet their keys at the
        // insert, and the rest of the commit must still store every other run and key exactly once.
        var used = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i => (Key: $"used-{i}", Id: (string?)(await (await PostAsync(RunBodies.Outgoing(), $"used-{i}")).ReadJsonAsync())["id"])));
        const int clients = 24;
        using var start = new Barrier(clients);
        var answers = await Task.WhenAll(Enumerable.Range(0, clients).Select(i => Task.Run(async () =>
        {
            var key = i % 6 == 0 ? $"used-{i / 6}" : i % 2 == 1 ? $"new-{i}" : null;
            start.SignalAndWait();
            using var response = await PostAsync(RunBodies.Outgoing(), key);
            return (Key: key, Status: (int)response.StatusCode, Replayed: response.Header("Idempotent-Replayed") == "true",
                Id: (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]);
        })));

        var records = await Host.WithDbAsync(db => db.IdempotencyRecords.AsNoTracking().ToListAsync());
        var runIds = await Host.WithDbAsync(db => db.Runs.AsNoTracking().Select(run => run.Id).ToListAsync());
        Assert.Multiple(() =>
        {
            Assert.That(answers.Select(a => a.Status), Is.All.EqualTo(201));
            foreach (var answer in answers.Where(a => a.Key?.StartsWith("used-", StringComparison.Ordinal) == true))
            {
                Assert.That((answer.Replayed, answer.Id), Is.EqualTo((true, used.Single(u => u.Key == answer.Key).Id)), answer.Key);
            }

            Assert.That(answers.Where(a => a.Key?.StartsWith("used-", StringComparison.Ordinal) != true).Select(a => a.Replayed), Is.All.False);
            Assert.That(runIds, Has.Count.EqualTo(4 + 12 + 8), "the four first uses, the twelve new keyed and eight unkeyed creates, nothing twice");
            Assert.That(answers.Select(a => a.Id), Is.SubsetOf(runIds));
            Assert.That(records, Has.Count.EqualTo(4 + 12), "one record per key");
            Assert.That(records.Select(record => record.RunId), Is.SubsetOf(runIds));
        });
    }

    [Test]
    public async Task The_key_is_stored_with_the_run_and_only_as_hashes()
    {
        var created = await (await PostAsync(RunBodies.Outgoing())).ReadJsonAsync();

        var records = await Host.WithDbAsync(db => db.IdempotencyRecords.AsNoTracking().ToListAsync());
        Assert.That(records, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(records[0].RunId, Is.EqualTo((string?)created["id"]));
            Assert.That(records[0].KeyHash, Does.Match("^[0-9A-F]{64}$").And.Not.Contain(Key));
            Assert.That(records[0].RequestHash, Does.Match("^[0-9A-F]{64}$"));
        });
    }
}
