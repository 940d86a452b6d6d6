using System.Net;
using System.Text;

namespace IndustryData.OData.Bench.Scale;

/// <summary>Requests from many connections at once for a fixed time: throughput and the failures seen.</summary>
public static class Load
{
    public static async Task<(double PerSecond, int Failures)> RunAsync(HttpClient client, int connections, TimeSpan duration, Func<HttpRequestMessage> request, HttpStatusCode expected)
    {
        var done = 0;
        var failures = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                using var message = request();
                using var response = await client.SendAsync(message);
                await response.Content.LoadIntoBufferAsync();
                if (response.StatusCode == expected)
                {
                    Interlocked.Increment(ref done);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        return (done / clock.Elapsed.TotalSeconds, failures);
    }

    public static HttpRequestMessage Create()
    {
        var body = $$$"""
            {"@odata.type":"#microsoft.graph.industryData.outgoingFlowRun","displayName":"Nightly export load","startDateTime":"{{{DateTime.UtcNow:O}}}","endDateTime":null,"status":"running","statistics":{"recordsRead":1}}
            """;
        return new HttpRequestMessage(HttpMethod.Post, "runs") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }
}
