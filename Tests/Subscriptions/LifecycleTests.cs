using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Subscriptions;

/// <summary>Timeouts, give-up with a missed notification (and delta covering the gap), expiry, isolation, /health.</summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public sealed class LifecycleTests(TestProvider provider) : SubscriptionFixture(provider)
{
    protected override IReadOnlyDictionary<string, string?> SubscriptionSettings => new Dictionary<string, string?>
    {
        ["Subscriptions:RetryWindow"] = "00:00:02",
        ["Subscriptions:MaxBackoff"] = "00:00:00.500",
        ["Subscriptions:Outbound:ResponseTimeout"] = "00:00:00.800",
        ["Subscriptions:ValidationTimeout"] = "00:00:01",
    };

    private JsonObject WithLifecycle(JsonObject body)
    {
        body["lifecycleNotificationUrl"] = Receiver.Url("life");
        return body;
    }

    [Test]
    public async Task A_receiver_that_does_not_answer_in_time_is_retried_after_the_timeout()
    {
        Receiver.NotificationStatus = (_, number) => number == 1 ? null : 202;
        await SubscribeAsync(Subscription(changeType: "created"));
        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;

        var notifications = await Receiver.WaitForAsync(n => n.Count >= 1);

        Assert.Multiple(() =>
        {
            Assert.That(notifications.Select(n => (string?)n["resourceData"]!["id"]), Is.EqualTo(new[] { id }));
            Assert.That(Receiver.Posts.Count, Is.GreaterThanOrEqualTo(2), "the hung POST, then the retry");
        });
    }

    [Test]
    public async Task A_validation_that_does_not_answer_in_time_is_a_400()
    {
        Receiver.Validation = _ => (0, "text/plain", string.Empty);

        using var response = await Client.PostJsonAsync("subscriptions", Subscription());

        var error = await response.AssertGraphErrorAsync(System.Net.HttpStatusCode.BadRequest, "subscriptionValidationFailed", "notificationUrl");
        Assert.That((string?)error["message"], Does.Contain("did not answer within"));
    }

    [Test]
    public async Task Past_the_retry_window_the_backlog_is_dropped_a_missed_notification_sent_and_delta_covers_the_gap()
    {
        var deltaStart = await Client.GetJsonAsync("runs/delta()");
        var deltaLink = (string)deltaStart["@odata.deltaLink"]!;
        Receiver.NotificationStatus = (path, _) => path == "hook" ? 503 : 202;
        await SubscribeAsync(WithLifecycle(Subscription(changeType: "created")));
        var lost = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;

        var lifecycle = await Receiver.WaitForAsync(n => n.Count >= 1, TimeSpan.FromSeconds(15), path: "life");
        var delta = await Client.GetJsonAsync(deltaLink);

        Assert.Multiple(() =>
        {
            Assert.That(lifecycle.Select(n => (string?)n["lifecycleEvent"]), Is.EqualTo(new[] { "missed" }));
            Assert.That((string?)lifecycle[0]["clientState"], Is.EqualTo("secret-state"));
            Assert.That(delta["value"]!.AsArray().Select(r => (string?)r!["id"]), Does.Contain(lost));
        });

        // The receiver recovers: later changes flow again.
        Receiver.NotificationStatus = (_, _) => 202;
        var next = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        var after = await Receiver.WaitForAsync(n => n.Any(x => (string?)x["resourceData"]?["id"] == next), path: "hook");
        Assert.That(after.Select(n => (string?)n["resourceData"]!["id"]), Does.Contain(next).And.Not.Contain(lost));
    }

    [Test]
    public async Task An_expired_subscription_gets_subscriptionRemoved_and_is_gone()
    {
        var body = WithLifecycle(Subscription(changeType: "created"));
        body["expirationDateTime"] = DateTimeOffset.UtcNow.AddSeconds(2).ToString("O");
        var id = (string)(await SubscribeAsync(body))["id"]!;

        var lifecycle = await Receiver.WaitForAsync(n => n.Count >= 1, TimeSpan.FromSeconds(15), path: "life");
        using var read = await Client.GetAsync($"subscriptions('{id}')");
        await Client.CreateRunAsync(RunBodies.Outgoing());
        await Task.Delay(500);

        Assert.Multiple(() =>
        {
            Assert.That(lifecycle.Select(n => ((string?)n["lifecycleEvent"], (string?)n["subscriptionId"])), Is.EqualTo(new[] { ("subscriptionRemoved", id) }));
            Assert.That(read.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NotFound));
            Assert.That(Receiver.Accepted("hook"), Is.Empty);
        });
    }

    [Test]
    public async Task A_hanging_receiver_does_not_delay_another_subscription()
    {
        Receiver.NotificationStatus = (path, _) => path == "stuck" ? null : 202;
        await SubscribeAsync(Subscription(changeType: "created", path: "stuck"));
        await SubscribeAsync(Subscription(changeType: "created,updated", path: "healthy"));
        var started = DateTimeOffset.UtcNow;
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!);
        }

        var healthy = await Receiver.WaitForAsync(n => n.Count >= 5, path: "healthy");
        var lastArrival = Receiver.Posts.Where(p => p.PathAndQuery.StartsWith("/healthy", StringComparison.Ordinal)).Max(p => p.At);

        Assert.Multiple(() =>
        {
            Assert.That(healthy.Select(n => (string?)n["resourceData"]!["id"]), Is.EquivalentTo(ids));
            Assert.That(lastArrival - started, Is.LessThan(TimeSpan.FromSeconds(3)));
        });
    }

    [Test]
    public async Task Health_reports_the_delivery_backlog()
    {
        Receiver.NotificationStatus = (_, _) => 500;
        await SubscribeAsync(Subscription(changeType: "created"));
        await Client.CreateRunAsync(RunBodies.Outgoing());
        await Task.Delay(1200);

        var health = await Client.GetStringAsync("health");

        Assert.That(health, Does.Match(@"Notifications: 1 subscription\(s\) behind, oldest undelivered change \d+\.\d s old"));
    }
}
