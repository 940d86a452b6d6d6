using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Tests.Idempotency;

/// <summary>Idempotency-Key on each create inside $batch: the key belongs to the batch's transaction.</summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class IdempotencyKeyBatchTests(TestProvider provider) : ApiFixture(provider)
{
    private static JsonObject CreatePart(string id, string key, string? group = null, JsonObject? body = null)
    {
        var part = new JsonObject
        {
            ["id"] = id,
            ["method"] = "POST",
            ["url"] = "runs",
            ["headers"] = new JsonObject { ["Content-Type"] = "application/json", ["Idempotency-Key"] = key },
            ["body"] = body ?? RunBodies.Outgoing(),
        };
        if (group is not null)
        {
            part["atomicityGroup"] = group;
        }

        return part;
    }

    private async Task<JsonArray> BatchAsync(params JsonObject[] parts)
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "$batch", new JsonObject { ["requests"] = new JsonArray(parts) }.ToJsonString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), text);
        return JsonNode.Parse(text)!["responses"]!.AsArray();
    }

    [Test]
    public async Task A_repeat_in_the_same_batch_and_a_later_direct_repeat_replay_the_first_part()
    {
        var responses = await BatchAsync(CreatePart("1", "batch-key"), CreatePart("2", "batch-key"));
        using var direct = await Client.SendJsonAsync(HttpMethod.Post, "runs", RunBodies.Outgoing().ToJsonString(),
            headers: new Dictionary<string, string> { ["Idempotency-Key"] = "batch-key" });

        var firstId = (string?)responses[0]!["body"]!["id"];
        Assert.Multiple(async () =>
        {
            Assert.That((int?)responses[0]!["status"], Is.EqualTo(201));
            Assert.That((int?)responses[1]!["status"], Is.EqualTo(201));
            Assert.That((string?)responses[1]!["body"]!["id"], Is.EqualTo(firstId));
            Assert.That(HeaderOf(responses[1]!, "Idempotent-Replayed"), Is.EqualTo("true"));
            Assert.That(HeaderOf(responses[0]!, "Idempotent-Replayed"), Is.Null);
            Assert.That(direct.Header("Idempotent-Replayed"), Is.EqualTo("true"));
            Assert.That((string?)(await direct.ReadJsonAsync())["id"], Is.EqualTo(firstId));
            Assert.That(await Host.CountRunsAsync(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_rolled_back_group_takes_its_key_with_it()
    {
        var failing = new JsonObject
        {
            ["id"] = "2",
            ["method"] = "POST",
            ["url"] = "runs",
            ["atomicityGroup"] = "g",
            ["headers"] = new JsonObject { ["Content-Type"] = "application/json" },
            ["body"] = RunBodies.Outgoing().With("status", "Completed"),
        };
        var responses = await BatchAsync(CreatePart("1", "group-key", "g"), failing);
        Assert.That((int?)responses[0]!["status"], Is.EqualTo(424), responses.ToJsonString());
        Assert.That(await Host.WithDbAsync(db => db.IdempotencyRecords.CountAsync()), Is.Zero, "the key was stored without its run");

        var retried = await BatchAsync(CreatePart("1", "group-key"));

        Assert.Multiple(async () =>
        {
            Assert.That((int?)retried[0]!["status"], Is.EqualTo(201));
            Assert.That(HeaderOf(retried[0]!, "Idempotent-Replayed"), Is.Null, "the rolled-back attempt left nothing to replay");
            Assert.That(await Host.CountRunsAsync(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Another_body_with_a_used_key_fails_only_its_part()
    {
        var responses = await BatchAsync(CreatePart("1", "k"), CreatePart("2", "k", body: RunBodies.Outgoing().With("displayName", "Other")));

        Assert.Multiple(async () =>
        {
            Assert.That((int?)responses[0]!["status"], Is.EqualTo(201));
            Assert.That((int?)responses[1]!["status"], Is.EqualTo(422));
            Assert.That((string?)responses[1]!["body"]!["error"]!["innerError"]!["code"], Is.EqualTo("idempotencyKeyReused"));
            Assert.That(await Host.CountRunsAsync(), Is.EqualTo(1));
        });
    }

    private static string? HeaderOf(JsonNode response, string name) =>
        response["headers"]?.AsObject().FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.GetValue<string>();
}
