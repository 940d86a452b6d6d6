using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Async;

/// <summary>
/// A list, $count or $apply run as an asynchronous job has AsyncRequests:StatementBudget rather than the synchronous
/// Querying:StatementBudget. Here the synchronous budget is tiny (every list is refused) and the asynchronous one large.
/// </summary>
public sealed class AsyncStatementBudgetTests : ApiFixture
{
    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["AsyncRequests:PollInterval"] = "00:00:00.100",
        ["Querying:StatementBudget"] = "00:00:00.0000001",
        ["AsyncRequests:StatementBudget"] = "00:01:00",
    };

    [TestCase("runs?$filter=contains(displayName,'export')", "$filter")]
    [TestCase("runs/$count?$filter=length(displayName) gt 3", "$filter")]
    [TestCase("runs?$apply=groupby((status),aggregate($count as n))", "$apply")]
    [TestCase("runs/$count?$apply=groupby((status))", "$apply")]
    public async Task A_query_refused_for_the_synchronous_budget_succeeds_as_an_asynchronous_request(string url, string target)
    {
        await Client.CreateRunAsync(RunBodies.Outgoing());

        using var synchronous = await Client.GetAsync(url, "text/plain, application/json");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Prefer", "respond-async");
        request.Headers.TryAddWithoutValidation("Accept", "text/plain, application/json");
        using var accepted = await Client.SendAsync(request);
        using var final = await AsyncRequestTests.AwaitFinalAsync(Client, accepted.Headers.Location!);
        var (status, _, body) = await AsyncRequestTests.ReadMessageAsync(final);

        var error = await synchronous.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "queryTooExpensive", target);
        Assert.Multiple(() =>
        {
            Assert.That((string?)error["message"], Does.Contain("statement budget"));
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(status, Is.EqualTo(200), body);
            Assert.That(body, url.Contains("/$count", StringComparison.Ordinal) ? Is.EqualTo("1") : Does.Contain("\"value\""));
        });
    }
}
