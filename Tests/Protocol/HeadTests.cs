using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Protocol;

/// <summary>HEAD wherever GET works (RFC 9110 §9.3.2): the status and headers GET would send, and no body.</summary>
public sealed class HeadTests : ApiFixture
{
    private string id = null!;

    public static IEnumerable<string> Urls() =>
    [
        "", "$metadata", "$metadata?$format=application/json", "runs", "runs?$top=1&$count=true", "runs?$select=displayName",
        "runs/$count", "runs/microsoft.graph.industryData.outgoingFlowRun", "runs('{id}')", "runs/{id}", "runs('{id}')/displayName",
        "runs('{id}')/statistics", "runs('{id}')/status/$value", "health", "runs('missing')", "runs?$top=x", "nothing-here",
    ];

    [SetUp]
    public async Task CreateRunAsync() => id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;

    [Test]
    public async Task Head_answers_as_get_without_a_body([ValueSource(nameof(Urls))] string url)
    {
        url = url.Replace("{id}", id, StringComparison.Ordinal);

        var get = await AnswerAsync(HttpMethod.Get, url, Client);
        var head = await AnswerAsync(HttpMethod.Head, url, Client);

        Assert.Multiple(() =>
        {
            Assert.That(head.Status, Is.EqualTo(get.Status), get.Body);
            Assert.That(head.Headers, Is.EqualTo(get.Headers));
            Assert.That(head.Body, Is.Empty);
        });
    }

    [Test]
    public async Task Head_without_a_token_is_the_same_401_as_get_without_a_body()
    {
        using var anonymous = Host.CreateGuardedClient();

        var get = await AnswerAsync(HttpMethod.Get, "runs", anonymous);
        var head = await AnswerAsync(HttpMethod.Head, "runs", anonymous);

        Assert.Multiple(() =>
        {
            Assert.That(head.Status, Is.EqualTo(401));
            Assert.That(head.Headers, Is.EqualTo(get.Headers));
            Assert.That(head.Body, Is.Empty);
        });
    }

    [Test]
    public async Task Head_with_a_current_etag_is_304_like_get()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"runs('{id}')");
        request.Headers.TryAddWithoutValidation("If-None-Match", "W/\"1\"");

        using var response = await Client.SendAsync(request);

        Assert.That((int)response.StatusCode, Is.EqualTo(304));
    }

    private static async Task<Answer> AnswerAsync(HttpMethod method, string url, HttpClient client)
    {
        using var request = new HttpRequestMessage(method, url);
        using var response = await client.SendAsync(request);
        return await Answer.ReadAsync(response);
    }
}
