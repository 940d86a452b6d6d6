using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Reliability;

/// <summary>
/// Parallel clients, each with its own connection, creating runs with distinct bodies as fast as the service answers.
/// Every request's outcome is recorded. A client stops at the request budget, when <c>stop</c> is cancelled (its
/// in-flight request still finishes) or after its first failure to get a response (the service is gone).
/// </summary>
public static class CreateLoad
{
    public static async Task<IReadOnlyList<CreateOutcome>> RunAsync(ServiceProcess service, int clients, int? budget, CancellationToken stop)
    {
        var outcomes = new ConcurrentBag<CreateOutcome>();
        var sent = 0;
        var workers = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            using var http = service.CreateClient();
            for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
            {
                if (budget is { } max && Interlocked.Increment(ref sent) > max)
                {
                    return;
                }

                var outcome = await CreateAsync(http, Body(client, sequence));
                outcomes.Add(outcome);
                if (outcome.Status is null)
                {
                    return;
                }
            }
        }, CancellationToken.None));
        await Task.WhenAll(workers);
        return outcomes.ToList();
    }

    public static JsonObject Body(int client, int sequence)
    {
        var body = sequence % 2 == 0 ? RunBodies.Outgoing() : RunBodies.Incoming();
        body["displayName"] = $"load client {client} run {sequence} ✓ é";
        body["startDateTime"] = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(client * 100_000 + sequence).ToString("O");
        body["endDateTime"] = null;
        body["status"] = sequence % 3 == 0 ? "running" : "completedWithWarnings";
        body["statistics"] = new JsonObject { ["client"] = client, ["sequence"] = sequence, ["ratio"] = 0.125, ["tags"] = new JsonArray("a", "b") };
        return body;
    }

    private static async Task<CreateOutcome> CreateAsync(HttpClient http, JsonObject body)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, "runs")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return new CreateOutcome(body, null, null, exception.GetType().Name + ": " + exception.Message, started, Stopwatch.GetTimestamp());
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            try
            {
                var text = await response.Content.ReadAsStringAsync();
                var json = JsonNode.Parse(text)?.AsObject();
                return new CreateOutcome(body, status, json, null, started, Stopwatch.GetTimestamp());
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or JsonException or TaskCanceledException)
            {
                return new CreateOutcome(body, status, null, "incomplete response body: " + exception.Message, started, Stopwatch.GetTimestamp());
            }
        }
    }
}
