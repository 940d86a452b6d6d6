using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Update;

[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class ConcurrencyTests(TestProvider provider) : ApiFixture(provider)
{
    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string id, string ifMatch, JsonNode? body = null) =>
        Client.SendJsonAsync(method, $"runs('{id}')", (body ?? new JsonObject()).ToJsonString(),
            headers: new Dictionary<string, string> { ["If-Match"] = ifMatch });

    [TestCase("PATCH")]
    [TestCase("PUT")]
    [TestCase("DELETE")]
    public async Task A_stale_if_match_is_a_412_and_changes_nothing(string method)
    {
        var created = await Client.CreateRunAsync(RunBodies.Outgoing());
        var id = (string)created["id"]!;
        using (var change = await SendAsync(HttpMethod.Patch, id, (string)created["@odata.etag"]!, new JsonObject { ["displayName"] = "Changed" }))
        {
            Assert.That(change.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        var before = (await Client.GetJsonAsync($"runs('{id}')")).ToJsonString();

        using var response = await SendAsync(new HttpMethod(method), id, (string)created["@odata.etag"]!, RunBodies.Outgoing());

        await response.AssertGraphErrorAsync(HttpStatusCode.PreconditionFailed, "etagMismatch");
        Assert.That((await Client.GetJsonAsync($"runs('{id}')")).ToJsonString(), Is.EqualTo(before));
    }

    [TestCase("PATCH", HttpStatusCode.NoContent)]
    [TestCase("PUT", HttpStatusCode.NoContent)]
    [TestCase("DELETE", HttpStatusCode.NoContent)]
    public async Task A_matching_or_wildcard_if_match_succeeds(string method, HttpStatusCode expected)
    {
        var first = await Client.CreateRunAsync(RunBodies.Outgoing());
        var second = await Client.CreateRunAsync(RunBodies.Outgoing());

        using var matching = await SendAsync(new HttpMethod(method), (string)first["id"]!, (string)first["@odata.etag"]!, RunBodies.Outgoing());
        using var wildcard = await SendAsync(new HttpMethod(method), (string)second["id"]!, "*", RunBodies.Outgoing());

        Assert.Multiple(() =>
        {
            Assert.That(matching.StatusCode, Is.EqualTo(expected));
            Assert.That(wildcard.StatusCode, Is.EqualTo(expected));
        });
    }

    [Test]
    public async Task A_malformed_if_match_is_a_400()
    {
        var created = await Client.CreateRunAsync(RunBodies.Outgoing());

        using var response = await SendAsync(HttpMethod.Patch, (string)created["id"]!, "not-an-etag");

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidETag");
    }

    [Test]
    public async Task Lost_update_two_clients_with_the_same_etag_exactly_one_wins()
    {
        var created = await Client.CreateRunAsync(RunBodies.Outgoing());
        var id = (string)created["id"]!;
        var etag = (string)created["@odata.etag"]!;
        using var otherClient = Host.CreateAuthorizedClient(TestTokens.Write("user-2"));

        var responses = await Task.WhenAll(
            Client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')", """{"displayName":"Client one"}""", headers: new Dictionary<string, string> { ["If-Match"] = etag }),
            otherClient.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')", """{"displayName":"Client two"}""", headers: new Dictionary<string, string> { ["If-Match"] = etag }));
        var statuses = responses.Select(r => r.StatusCode).ToArray();
        var winner = statuses[0] == HttpStatusCode.NoContent ? "Client one" : "Client two";
        var read = await Client.GetJsonAsync($"runs('{id}')");

        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.EquivalentTo(new[] { HttpStatusCode.NoContent, HttpStatusCode.PreconditionFailed }));
            Assert.That((string?)read["displayName"], Is.EqualTo(winner));
            Assert.That((string?)read["@odata.etag"], Is.Not.EqualTo(etag));
        });
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
