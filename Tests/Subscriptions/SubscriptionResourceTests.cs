using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Subscriptions;

/// <summary>POST/GET/PATCH/DELETE /subscriptions: Graph's shape, the validation handshake, the rules, caller scoping.</summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public sealed class SubscriptionResourceTests(TestProvider provider) : SubscriptionFixture(provider)
{
    [Test]
    public async Task Create_validates_the_endpoint_then_answers_201_in_Graphs_shape()
    {
        using var response = await Client.PostJsonAsync("subscriptions", Subscription("runs?$filter=status eq 'failed'", "created,updated"));
        var body = await response.ReadJsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToJsonString());
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"http://localhost/subscriptions('{body["id"]}')"));
            Assert.That((string?)body["@odata.context"], Is.EqualTo("http://localhost/$metadata#subscriptions/$entity"));
            Assert.That((string?)body["changeType"], Is.EqualTo("created,updated"));
            Assert.That((string?)body["resource"], Is.EqualTo("runs?$filter=status eq 'failed'"));
            Assert.That((string?)body["notificationUrl"], Is.EqualTo(Receiver.Url()));
            Assert.That((string?)body["clientState"], Is.EqualTo("secret-state"));
            Assert.That((string?)body["creatorId"], Is.EqualTo("user-1"));
            Assert.That(Receiver.ValidationQueries.Single(), Does.StartWith("/hook?validationToken="));
            Assert.That(Receiver.ValidationQueries.Single().Length, Is.GreaterThan("/hook?validationToken=".Length + 40), "an unguessable token");
        });
    }

    [Test]
    public async Task Both_urls_are_validated_and_the_receivers_query_string_is_kept()
    {
        var body = Subscription(path: "hook?tenant=a");
        body["lifecycleNotificationUrl"] = Receiver.Url("life");

        await SubscribeAsync(body);

        Assert.That(Receiver.ValidationQueries.OrderBy(q => q), Has.Exactly(1).StartsWith("/hook?tenant=a&validationToken=").And.Exactly(1).StartsWith("/life?validationToken="));
    }

    [TestCase(200, "text/plain", "wrong-token", TestName = "Handshake_refused_when_the_echo_is_wrong")]
    [TestCase(500, "text/plain", null, TestName = "Handshake_refused_when_the_receiver_fails")]
    [TestCase(200, "application/json", null, TestName = "Handshake_refused_when_the_echo_is_not_text_plain")]
    public async Task A_failed_handshake_is_a_400_and_nothing_is_stored(int status, string contentType, string? body)
    {
        Receiver.Validation = token => (status, contentType, body ?? token);

        using var response = await Client.PostJsonAsync("subscriptions", Subscription());

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "subscriptionValidationFailed", "notificationUrl");
        Assert.That((await Client.GetJsonAsync("subscriptions"))["value"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task Reading_is_enough_to_subscribe_and_each_caller_sees_only_its_own()
    {
        using var reader = Host.CreateAuthorizedClient(TestTokens.Read("reader-1"));
        using var other = Host.CreateAuthorizedClient(TestTokens.Read("reader-2"));
        var mine = await SubscribeAsync(Subscription(), reader);
        var id = (string)mine["id"]!;

        var list = await reader.GetJsonAsync("subscriptions");
        using var othersGet = await other.GetAsync($"subscriptions('{id}')");
        using var othersDelete = await other.DeleteAsync($"subscriptions('{id}')");
        var othersList = await other.GetJsonAsync("subscriptions");

        Assert.Multiple(() =>
        {
            Assert.That(list["value"]!.AsArray().Select(s => (string?)s!["id"]), Is.EqualTo(new[] { id }));
            Assert.That(list["value"]![0]!["clientState"], Is.Null, "clientState is never listed back");
            Assert.That(othersGet.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(othersDelete.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(othersList["value"]!.AsArray(), Is.Empty);
        });
    }

    [Test]
    public async Task Without_a_permission_a_subscription_is_refused_with_403()
    {
        using var client = Host.CreateAuthorizedClient(TestTokens.Delegated("User.Read"));

        using var response = await client.PostJsonAsync("subscriptions", Subscription());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(Receiver.ValidationQueries, Is.Empty);
    }

    [Test]
    public async Task A_second_subscription_for_the_same_resource_and_change_types_is_a_409_naming_the_first()
    {
        var first = await SubscribeAsync(Subscription());

        using var response = await Client.PostJsonAsync("subscriptions", Subscription());
        var error = await response.AssertGraphErrorAsync(HttpStatusCode.Conflict, "subscriptionExists", "resource");

        Assert.That((string?)error["message"], Does.Contain((string)first["id"]!));
    }

    [Test]
    public async Task Every_fault_of_a_body_is_a_400_naming_its_property_and_nothing_is_called_or_stored()
    {
        var body = new JsonObject
        {
            ["changeType"] = "created,renamed",
            ["notificationUrl"] = "https://receiver.example.invalid/hook#x",
            ["resource"] = "users",
            ["expirationDateTime"] = DateTimeOffset.UtcNow.AddDays(10).ToString("O"),
            ["clientState"] = new string('x', 129),
            ["id"] = "mine",
        };

        using var response = await Client.PostJsonAsync("subscriptions", body);
        var error = await response.ReadJsonAsync();
        var targets = error["error"]!["details"]!.AsArray().Select(d => (string?)d!["target"]).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(targets, Is.EquivalentTo(new[] { "changeType", "notificationUrl", "resource", "expirationDateTime", "clientState", "id" }));
            Assert.That(Receiver.ValidationQueries, Is.Empty);
        });
    }

    [TestCase("http://receiver.example.invalid/hook", TestName = "Plain_http_to_a_non_loopback_host_is_refused")]
    [TestCase("ftp://127.0.0.1/hook", TestName = "Other_schemes_are_refused")]
    [TestCase("https://user:pass@receiver.example.invalid/hook", TestName = "Credentials_in_the_url_are_refused")]
    [TestCase("hook", TestName = "A_relative_url_is_refused")]
    public async Task Unsafe_notification_urls_are_refused(string url)
    {
        var body = Subscription();
        body["notificationUrl"] = url;

        using var response = await Client.PostJsonAsync("subscriptions", body);

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidUrl", "notificationUrl");
    }

    [TestCase("not a date", TestName = "An_unparseable_expiration_is_refused")]
    [TestCase("2020-01-01T00:00:00Z", TestName = "An_expiration_in_the_past_is_refused")]
    public async Task Expiration_outside_now_and_the_maximum_is_refused(string value)
    {
        var body = Subscription();
        body["expirationDateTime"] = value;

        using var response = await Client.PostJsonAsync("subscriptions", body);

        var error = await response.ReadJsonAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string?)error["error"]!["target"], Is.EqualTo("expirationDateTime"));
    }

    [Test]
    public async Task A_filter_a_list_would_refuse_is_refused_in_the_resource()
    {
        using var response = await Client.PostJsonAsync("subscriptions", Subscription("runs?$filter=nosuch eq 1"));

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidResource", "resource");
    }

    [Test]
    public async Task Patch_renews_and_answers_200_delete_answers_204_then_404()
    {
        var id = (string)(await SubscribeAsync(Subscription()))["id"]!;
        var renewed = DateTimeOffset.UtcNow.AddHours(2);

        using var patch = await Client.SendJsonAsync(HttpMethod.Patch, $"subscriptions('{id}')", new JsonObject { ["expirationDateTime"] = renewed.ToString("O") }.ToJsonString());
        var patched = await patch.ReadJsonAsync();
        using var badPatch = await Client.SendJsonAsync(HttpMethod.Patch, $"subscriptions('{id}')", new JsonObject { ["resource"] = "runs/microsoft.graph.industryData.outgoingFlowRun" }.ToJsonString());
        using var delete = await Client.DeleteAsync($"subscriptions('{id}')");
        using var again = await Client.DeleteAsync($"subscriptions('{id}')");

        Assert.Multiple(() =>
        {
            Assert.That(patch.StatusCode, Is.EqualTo(HttpStatusCode.OK), patched.ToJsonString());
            Assert.That(DateTimeOffset.Parse((string)patched["expirationDateTime"]!), Is.EqualTo(renewed).Within(TimeSpan.FromMilliseconds(1)));
            Assert.That(badPatch.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [TestCase("subscriptions/$count")]
    [TestCase("subscriptions?$filter=resource eq 'runs'")]
    [TestCase("subscriptions?$top=1")]
    public async Task Query_options_and_count_on_subscriptions_are_a_501_naming_them(string url)
    {
        await SubscribeAsync(Subscription());

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(url.Contains("/$count", StringComparison.Ordinal) ? "text/plain" : "application/json");
        using var response = await Client.SendAsync(request);

        await response.AssertGraphErrorAsync(HttpStatusCode.NotImplemented, "queryOptionNotSupported");
    }
}
