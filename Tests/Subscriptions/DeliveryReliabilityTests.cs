using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Subscriptions;

/// <summary>
/// Real service processes on one SQLite file: a notification survives SIGKILL between commit and delivery, and two
/// instances share the deliveries through leases in the database without delivering the same batch twice.
/// </summary>
public sealed class DeliveryReliabilityTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Subscriptions:Outbound:AllowLoopback"] = "true",
        ["Subscriptions:PollInterval"] = "00:00:00.050",
        ["Subscriptions:FirstBackoff"] = "00:00:00.200",
        ["Subscriptions:LeaseDuration"] = "00:00:02",
        ["Subscriptions:Outbound:ResponseTimeout"] = "00:00:30",
    };

    private SqliteTestDatabase database = null!;
    private NotificationReceiver receiver = null!;

    [SetUp]
    public void Start()
    {
        database = new SqliteTestDatabase();
        receiver = new NotificationReceiver();
    }

    [TearDown]
    public async Task Stop()
    {
        await receiver.DisposeAsync();
        await database.DisposeAsync();
    }

    [Test]
    public async Task Changes_committed_before_a_SIGKILL_are_delivered_after_a_restart()
    {
        // The first POST hangs, so the instance dies holding the lease with every change still undelivered.
        var hang = true;
        receiver.NotificationStatus = (_, _) => hang ? null : 202;
        var ids = new List<string>();
        await using (var first = await ServiceProcess.StartAsync(database.FilePath, Settings))
        {
            using var client = first.CreateClient();
            await SubscribeAsync(client);
            for (var i = 0; i < 10; i++)
            {
                ids.Add((string)(await client.CreateRunAsync(RunBodies.Outgoing()))["id"]!);
            }

            await WaitUntilAsync(() => !receiver.Posts.IsEmpty);
            first.Kill();
        }

        hang = false;
        await using var second = await ServiceProcess.StartAsync(database.FilePath, Settings);
        var notifications = await receiver.WaitForAsync(n => n.Select(x => (string?)x["resourceData"]!["id"]).Distinct().Count() >= 10, TimeSpan.FromSeconds(30));

        Assert.That(notifications.Select(n => (string?)n["resourceData"]!["id"]).Distinct(), Is.EquivalentTo(ids), second.Describe("second instance"));
    }

    [Test]
    public async Task Two_instances_on_one_database_deliver_every_change_once_in_the_normal_case()
    {
        // Leases as long as in production: the normal case, where no lease runs out mid-delivery.
        var settings = new Dictionary<string, string?>(Settings) { ["Subscriptions:LeaseDuration"] = "00:00:30" };
        await using var a = await ServiceProcess.StartAsync(database.FilePath, settings);
        await using var b = await ServiceProcess.StartAsync(database.FilePath, settings);
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        await SubscribeAsync(clientA);
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(new[] { clientA, clientB }.Select(async client =>
        {
            for (var i = 0; i < 50; i++)
            {
                ids.Add((string)(await client.CreateRunAsync(RunBodies.Outgoing()))["id"]!);
            }
        }));

        var notifications = await receiver.WaitForAsync(n => n.Select(x => (string?)x["resourceData"]!["id"]).Distinct().Count() >= 100, TimeSpan.FromSeconds(30));
        var notified = notifications.Select(n => (string)n["resourceData"]!["id"]!).ToList();

        Assert.That(notified.Distinct(), Is.EquivalentTo(ids));
        Assert.That(notified.Count - notified.Distinct().Count(), Is.LessThanOrEqualTo(2), "duplicates: leases keep the two instances apart");
    }

    private async Task SubscribeAsync(HttpClient client)
    {
        var body = new JsonObject
        {
            ["changeType"] = "created",
            ["notificationUrl"] = receiver.Url(),
            ["resource"] = "runs",
            ["expirationDateTime"] = DateTimeOffset.UtcNow.AddHours(1).ToString("O"),
        };
        using var response = await client.PostJsonAsync("subscriptions", body);
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }
}
