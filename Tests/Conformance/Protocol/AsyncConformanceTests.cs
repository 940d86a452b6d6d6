using System.Net;
using IndustryData.OData.Tests.Async;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Conformance.Protocol;

/// <summary>
/// Asynchronous requests in the conformance levels: 4.0 Advanced 13 (SHOULD support them), 4.0 Minimal 16 (the final
/// response is an HTTP message) and 17 / 4.01 Minimal 3 (the AsyncResult header). Tests/Async covers the rest
/// (instances, restart, cancel, expiry; conditional writes, whose precondition is evaluated when the job runs, in
/// AsyncConditionalWriteTests; the longer statement budget of asynchronous reads in AsyncStatementBudgetTests).
/// </summary>
public sealed class AsyncConformanceTests : ApiFixture
{
    /// <summary>
    /// Advanced 13 with Minimal 16, 17 and 4.01 Minimal 3: 202 + Location + Retry-After, then application/http with
    /// AsyncResult, for a 4.0 client and a 4.01 one alike (OData-Version follows the client's OData-MaxVersion).
    /// </summary>
    [TestCase("4.0")]
    [TestCase("4.01")]
    public async Task Advanced40_13_asynchronous_requests_with_Minimal40_16_17_and_Minimal401_3(string maxVersion)
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;

        using var accepted = await AsyncRequestTests.SendAsyncAsync(Client, HttpMethod.Get, $"runs('{id}')/status", maxVersion: maxVersion);
        using var final = await AsyncRequestTests.AwaitFinalAsync(Client, accepted.Headers.Location!);
        var (status, head, body) = await AsyncRequestTests.ReadMessageAsync(final);

        Assert.Multiple(() =>
        {
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(accepted.Headers.Location, Is.Not.Null);
            Assert.That(accepted.Headers.RetryAfter, Is.Not.Null);
            Assert.That(final.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/http"));
            Assert.That(final.Header("AsyncResult"), Is.EqualTo("200"));
            Assert.That(status, Is.EqualTo(200));
            Assert.That(head, Does.Contain($"OData-Version: {maxVersion}"));
            Assert.That(body, Does.Contain("\"value\":\"completed\""));
        });
    }
}
