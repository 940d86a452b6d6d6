using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Subscriptions;

/// <summary>Every committed create, update and delete reaches the receiver as Graph's changeNotificationCollection.</summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public sealed class DeliveryTests(TestProvider provider) : SubscriptionFixture(provider)
{
    [Test]
    public async Task Create_update_and_delete_are_each_notified_with_the_ETag_of_that_write()
    {
        var subscription = await SubscribeAsync(Subscription());
        var created = await Client.CreateRunAsync(RunBodies.Outgoing());
        var id = (string)created["id"]!;
        using var patch = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')", new JsonObject { ["status"] = "failed" }.ToJsonString());
        var patchedETag = patch.Headers.ETag!.ToString();
        using var delete = await Client.DeleteAsync($"runs('{id}')");

        var notifications = await Receiver.WaitForAsync(n => n.Count >= 3);
        var raw = Receiver.RawBodies.First();

        Assert.That(notifications.Select(n => (string?)n["changeType"]), Is.EqualTo(new[] { "created", "updated", "deleted" }));
        Assert.Multiple(() =>
        {
            var first = notifications[0];
            Assert.That((string?)first["subscriptionId"], Is.EqualTo((string?)subscription["id"]));
            Assert.That((string?)first["clientState"], Is.EqualTo("secret-state"));
            Assert.That(DateTimeOffset.Parse((string)first["subscriptionExpirationDateTime"]!), Is.EqualTo(DateTimeOffset.Parse((string)subscription["expirationDateTime"]!)));
            Assert.That((string?)first["resource"], Is.EqualTo($"runs('{id}')"));
            Assert.That((string?)first["resourceData"]!["@odata.type"], Is.EqualTo("#microsoft.graph.industryData.outgoingFlowRun"));
            Assert.That((string?)first["resourceData"]!["@odata.id"], Is.EqualTo($"runs('{id}')"));
            Assert.That((string?)first["resourceData"]!["id"], Is.EqualTo(id));
            Assert.That((string?)first["resourceData"]!["@odata.etag"], Is.EqualTo((string?)created["@odata.etag"]));
            Assert.That((string?)notifications[1]["resourceData"]!["@odata.etag"], Is.EqualTo(patchedETag));
            Assert.That((string?)notifications[2]["resourceData"]!["@odata.etag"], Is.EqualTo(patchedETag), "a delete carries the ETag the run had");
            Assert.That(raw, Does.Contain($"\"resource\":\"runs('{id}')\""), "written as Graph writes it, quotes unescaped");
        });
    }

    [Test]
    public async Task Filtered_and_cast_subscriptions_receive_exactly_their_runs_judged_by_the_state_each_write_left()
    {
        await SubscribeAsync(Subscription("runs?$filter=status eq 'failed'", "created,updated", "failed"));
        await SubscribeAsync(Subscription("runs/microsoft.graph.industryData.incomingFlowRun", "created", "incoming"));
        var failed = await Client.CreateRunAsync(RunBodies.Outgoing().With("status", "failed").With("displayName", "failed-1"));
        var completed = await Client.CreateRunAsync(RunBodies.Incoming().With("status", "completed").With("displayName", "completed-1"));
        // Changed at once to another status: its 'created' still matched the filter when it was written.
        using var patch = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{failed["id"]}')", new JsonObject { ["status"] = "completed" }.ToJsonString());
        using var patch2 = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{completed["id"]}')", new JsonObject { ["status"] = "failed" }.ToJsonString());

        var toFailed = await Receiver.WaitForAsync(n => n.Count >= 2, path: "failed");
        var toIncoming = await Receiver.WaitForAsync(n => n.Count >= 1, path: "incoming");
        await Task.Delay(500);

        Assert.Multiple(() =>
        {
            Assert.That(Receiver.Accepted("failed").Select(n => ((string?)n["changeType"], (string?)n["resourceData"]!["id"])),
                Is.EquivalentTo(new[] { ("created", (string?)failed["id"]), ("updated", (string?)completed["id"]) }));
            Assert.That(Receiver.Accepted("incoming").Select(n => ((string?)n["changeType"], (string?)n["resourceData"]!["id"])),
                Is.EquivalentTo(new[] { ("created", (string?)completed["id"]) }));
        });
    }

    [Test]
    public async Task A_burst_from_8_writers_is_notified_completely_with_few_duplicates()
    {
        await SubscribeAsync(Subscription(changeType: "created"));
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async writer =>
        {
            for (var i = 0; i < 25; i++)
            {
                ids.Add((string)(await Client.CreateRunAsync(RunBodies.Outgoing().With("displayName", $"w{writer}-{i}")))["id"]!);
            }
        }));

        var notifications = await Receiver.WaitForAsync(n => n.Select(x => (string?)x["resourceData"]!["id"]).Distinct().Count() >= 200, TimeSpan.FromSeconds(30));
        var notified = notifications.Select(n => (string)n["resourceData"]!["id"]!).ToList();

        Assert.That(notified.Distinct(), Is.EquivalentTo(ids));
        Assert.That(notified.Count - notified.Distinct().Count(), Is.LessThanOrEqualTo(2), "duplicates");
    }

    [Test]
    public async Task A_receiver_that_fails_then_recovers_gets_everything_with_backoff()
    {
        Receiver.NotificationStatus = (_, number) => number <= 4 ? 500 : 202;
        await SubscribeAsync(Subscription(changeType: "created"));
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!);
        }

        var notifications = await Receiver.WaitForAsync(n => n.Select(x => (string?)x["resourceData"]!["id"]).Distinct().Count() >= 5, TimeSpan.FromSeconds(30));
        var failures = Receiver.Posts.Where(p => p.Status == 500).Select(p => p.At).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(notifications.Select(n => (string?)n["resourceData"]!["id"]).Distinct(), Is.EquivalentTo(ids));
            Assert.That(failures, Has.Count.GreaterThanOrEqualTo(3));
            // Backoff 0.2 s, 0.4 s, 0.8 s: the gaps grow rather than hammering at the poll rate.
            Assert.That(failures[^1] - failures[0], Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(550)));
        });
    }

    [Test]
    public async Task After_a_delete_of_the_subscription_nothing_more_is_sent()
    {
        var id = (string)(await SubscribeAsync(Subscription(changeType: "created")))["id"]!;
        await Client.CreateRunAsync(RunBodies.Outgoing());
        await Receiver.WaitForAsync(n => n.Count >= 1);
        using var delete = await Client.DeleteAsync($"subscriptions('{id}')");

        await Client.CreateRunAsync(RunBodies.Outgoing());
        await Task.Delay(700);

        Assert.That(Receiver.Accepted().Count(), Is.EqualTo(1));
    }
}
