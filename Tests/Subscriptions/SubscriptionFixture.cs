using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Subscriptions;

/// <summary>A service that may call loopback receivers, polls often, and backs off briefly; plus a receiver.</summary>
public abstract class SubscriptionFixture(TestProvider provider = TestProvider.Sqlite) : ApiFixture(provider)
{
    protected NotificationReceiver Receiver { get; private set; } = null!;

    protected virtual IReadOnlyDictionary<string, string?> SubscriptionSettings => new Dictionary<string, string?>();

    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>(SubscriptionSettings)
    {
        ["Subscriptions:Outbound:AllowLoopback"] = "true",
        ["Subscriptions:PollInterval"] = "00:00:00.050",
        ["Subscriptions:FirstBackoff"] = "00:00:00.200",
        ["Subscriptions:ValidationTimeout"] = SubscriptionSettings.GetValueOrDefault("Subscriptions:ValidationTimeout") ?? "00:00:10",
    };

    [SetUp]
    public void StartReceiver() => Receiver = new NotificationReceiver();

    [TearDown]
    public async Task StopReceiverAsync() => await Receiver.DisposeAsync();

    protected static string InAnHour => DateTimeOffset.UtcNow.AddHours(1).ToString("O");

    protected JsonObject Subscription(string resource = "runs", string changeType = "created,updated,deleted", string? path = "hook") => new()
    {
        ["changeType"] = changeType,
        ["notificationUrl"] = Receiver.Url(path!),
        ["resource"] = resource,
        ["expirationDateTime"] = InAnHour,
        ["clientState"] = "secret-state",
    };

    protected async Task<JsonObject> SubscribeAsync(JsonObject body, HttpClient? client = null)
    {
        using var response = await (client ?? Client).PostJsonAsync("subscriptions", body);
        var json = await response.ReadJsonAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), json.ToJsonString());
        return json;
    }
}
