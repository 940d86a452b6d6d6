using IndustryData.OData.Service.Subscriptions;
using IndustryData.OData.Tests.Infrastructure;
using IndustryData.OData.Tests.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace IndustryData.OData.Tests.Subscriptions;

/// <summary>What an operator sees: delivery metrics, the receiver's query string kept, and the log pruned once delivered.</summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public sealed class NotificationOperationsTests(TestProvider provider) : SubscriptionFixture(provider)
{
    private readonly CollectedTelemetry telemetry = new();

    protected override void ConfigureServices(IServiceCollection services) => telemetry.AddTo(services);

    [Test]
    public async Task Deliveries_failures_and_latency_are_measured()
    {
        Receiver.NotificationStatus = (_, number) => number == 1 ? 500 : 202;
        await SubscribeAsync(Subscription(changeType: "created"));
        await Client.CreateRunAsync(RunBodies.Outgoing());
        await Receiver.WaitForAsync(n => n.Count >= 1);
        await Task.Delay(200);

        Assert.Multiple(() =>
        {
            Assert.That(telemetry.Points(Host.Services, NotificationMetrics.Delivered).Sum(p => p.GetSumLong()), Is.EqualTo(1));
            Assert.That(telemetry.Points(Host.Services, NotificationMetrics.Failed).Sum(p => p.GetSumLong()), Is.EqualTo(1));
            Assert.That(telemetry.Points(Host.Services, NotificationMetrics.Latency).Sum(p => p.GetHistogramCount()), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Notifications_go_to_the_notificationUrl_with_its_query_string()
    {
        await SubscribeAsync(Subscription(changeType: "created", path: "hook?tenant=a&x=1"));
        await Client.CreateRunAsync(RunBodies.Outgoing());

        await Receiver.WaitForAsync(n => n.Count >= 1);

        Assert.That(Receiver.Posts.Select(p => p.PathAndQuery), Is.EqualTo(new[] { "/hook?tenant=a&x=1" }));
    }

    [Test]
    public async Task The_log_is_pruned_once_every_subscription_has_its_changes()
    {
        await SubscribeAsync(Subscription(changeType: "created"));
        for (var i = 0; i < 3; i++)
        {
            await Client.CreateRunAsync(RunBodies.Outgoing());
        }

        await Receiver.WaitForAsync(n => n.Count >= 3);
        var logged = await Host.WithDbAsync(db => db.RunChanges.CountAsync());
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var left = logged;
        while (left > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            left = await Host.WithDbAsync(db => db.RunChanges.CountAsync());
        }

        Assert.Multiple(() =>
        {
            Assert.That(logged, Is.GreaterThanOrEqualTo(1), "each create was logged");
            Assert.That(left, Is.Zero);
        });
    }

    [Test]
    public async Task A_delivery_with_a_mark_older_than_the_cursor_leaves_the_cursor_where_it_is()
    {
        // Two instances: one took the high-water mark, the other delivered beyond it before the first got the lease.
        var id = (string)(await SubscribeAsync(Subscription(changeType: "created")))["id"]!;
        await Host.WithDbAsync(db => db.Subscriptions.Where(s => s.Id == id).ExecuteUpdateAsync(set => set.SetProperty(s => s.DeliveredThrough, 50L)));
        using var scope = Host.Services.CreateScope();
        var delivery = scope.ServiceProvider.GetRequiredService<SubscriptionDelivery>();

        Assert.That(await delivery.ClaimAsync(id, "other-instance", CancellationToken.None), Is.True);
        await delivery.RunAsync(id, "other-instance", upTo: 10, CancellationToken.None);

        Assert.That(await Host.WithDbAsync(db => db.Subscriptions.Where(s => s.Id == id).Select(s => s.DeliveredThrough).SingleAsync()), Is.EqualTo(50));
    }
}
