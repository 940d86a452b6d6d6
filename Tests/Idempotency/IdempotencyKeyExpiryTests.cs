using System.Net;
using IndustryData.OData.Service.Idempotency;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IndustryData.OData.Tests.Idempotency;

/// <summary>Keys live Idempotency:KeyLifetime (1 s here); after that the same key is a new key, and expired keys are pruned.</summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class IdempotencyKeyExpiryTests(TestProvider provider) : ApiFixture(provider)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Idempotency:KeyLifetime"] = "00:00:01",
        ["Idempotency:PruneInterval"] = "01:00:00",
        ["Idempotency:PruneBatchSize"] = "2",
    };

    private Task<HttpResponseMessage> PostAsync(string key) =>
        Client.SendJsonAsync(HttpMethod.Post, "runs", RunBodies.Outgoing().ToJsonString(), headers: new Dictionary<string, string> { ["Idempotency-Key"] = key });

    [Test]
    public async Task An_expired_key_creates_a_new_run_and_is_then_the_new_runs_key()
    {
        var first = await (await PostAsync("nightly-1")).ReadJsonAsync();
        await Task.Delay(Lifetime + TimeSpan.FromMilliseconds(300));

        using var afterExpiry = await PostAsync("nightly-1");
        var second = await afterExpiry.ReadJsonAsync();
        using var repeat = await PostAsync("nightly-1");

        Assert.Multiple(async () =>
        {
            Assert.That(afterExpiry.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(afterExpiry.Headers.Contains("Idempotent-Replayed"), Is.False);
            Assert.That((string?)second["id"], Is.Not.EqualTo((string?)first["id"]));
            Assert.That(repeat.Header("Idempotent-Replayed"), Is.EqualTo("true"), "the renewed key replays the new run");
            Assert.That((string?)(await repeat.ReadJsonAsync())["id"], Is.EqualTo((string?)second["id"]));
            Assert.That(await Host.CountRunsAsync(), Is.EqualTo(2));
            Assert.That(await Host.WithDbAsync(db => db.IdempotencyRecords.CountAsync()), Is.EqualTo(1), "the expired record was reused in place");
        });
    }

    [Test]
    public async Task Pruning_deletes_expired_keys_in_bounded_statements_and_keeps_the_runs()
    {
        foreach (var key in new[] { "a", "b", "c", "d", "e" })
        {
            using var created = await PostAsync(key);
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        await Task.Delay(Lifetime + TimeSpan.FromMilliseconds(300));
        using (var live = await PostAsync("f"))
        {
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        var pruner = Host.Services.GetRequiredService<IdempotencyKeyPruner>();
        var deleted = await pruner.PruneAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(deleted, Is.EqualTo(5), "five expired keys, two per statement");
            Assert.That(await Host.WithDbAsync(db => db.IdempotencyRecords.Select(r => r.RunId).CountAsync()), Is.EqualTo(1), "the live key stays");
            Assert.That(await Host.CountRunsAsync(), Is.EqualTo(6), "pruning keys never touches runs");
        });
    }
}

/// <summary>The pruner runs on its own, every Idempotency:PruneInterval.</summary>
public class IdempotencyKeyAutomaticPruningTests : ApiFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Idempotency:KeyLifetime"] = "00:00:00.500",
        ["Idempotency:PruneInterval"] = "00:00:00.200",
    };

    [Test]
    [CancelAfter(60_000)]
    public async Task Expired_keys_disappear_without_anyone_asking()
    {
        using (var created = await Client.SendJsonAsync(HttpMethod.Post, "runs", RunBodies.Outgoing().ToJsonString(),
            headers: new Dictionary<string, string> { ["Idempotency-Key"] = "prune-me" }))
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (await Host.WithDbAsync(db => db.IdempotencyRecords.CountAsync()) > 0)
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), "the expired key was never pruned");
            await Task.Delay(100);
        }

        Assert.That(await Host.CountRunsAsync(), Is.EqualTo(1));
    }
}
