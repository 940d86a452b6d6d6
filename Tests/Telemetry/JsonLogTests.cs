using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Telemetry;

/// <summary>The built service in Production writes one JSON object per log line, correlated with the trace and the request-id.</summary>
public class JsonLogTests
{
    [Test]
    [CancelAfter(120_000)]
    public async Task Production_logs_are_JSON_lines_with_trace_id_span_id_and_request_id_and_without_the_token()
    {
        await using var database = new SqliteTestDatabase();
        var settings = new Dictionary<string, string?>
        {
            // EF Core's command log: one line per query, written from inside the request.
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information",
        };
        var token = TestTokens.Write();
        string requestId;
        string output;
        await using (var service = await ServiceProcess.StartAsync(database.FilePath, settings))
        {
            using var client = service.CreateClient(token);
            // Ordered by displayName: a list EF Core runs and logs (plain first pages are direct reads, see SqliteRunReads).
            using var response = await client.GetAsync("runs?$top=1&$orderby=displayName");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            requestId = response.Headers.GetValues("request-id").Single();
            Assert.That(await service.StopAsync(), Is.Zero);
            output = service.Output;
        }

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var entries = new List<JsonObject>();
        foreach (var line in lines)
        {
            Assert.DoesNotThrow(() => entries.Add(JsonNode.Parse(line)!.AsObject()), $"not a JSON log line: {line}");
        }

        var inRequests = entries.Where(entry => Scope(entry, "RequestPath") is not null).ToList();
        var ours = inRequests.Where(entry => Scope(entry, "request-id") == requestId).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ours.Select(entry => (string?)entry["Category"]), Does.Contain("Microsoft.EntityFrameworkCore.Database.Command"), output);
            foreach (var entry in inRequests)
            {
                Assert.That(Scope(entry, "TraceId"), Does.Match("^[0-9a-f]{32}$"), entry.ToJsonString());
                Assert.That(Scope(entry, "SpanId"), Does.Match("^[0-9a-f]{16}$"), entry.ToJsonString());
                Assert.That(Scope(entry, "request-id"), Is.Not.Null.And.Not.Empty, entry.ToJsonString());
            }

            Assert.That(output, Does.Not.Contain(token[(token.LastIndexOf('.') + 1)..]));
        });
    }

    private static string? Scope(JsonObject entry, string name) =>
        (entry["Scopes"] as JsonArray)?.OfType<JsonObject>().Select(scope => scope[name]).FirstOrDefault(value => value is not null) is { } value
            ? value.GetValueKind() == JsonValueKind.String ? (string?)value : value.ToJsonString()
            : null;
}
