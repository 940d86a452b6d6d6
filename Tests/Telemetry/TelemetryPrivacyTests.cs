using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IndustryData.OData.Tests.Telemetry;

/// <summary>
/// Telemetry leaves the service for other systems and other people: no bearer token and no statistics value may be
/// in any span or log line, at any log level. Log lines written while a request runs carry its trace and request ids.
/// </summary>
public class TelemetryPrivacyTests : ApiFixture
{
    private const string SecretText = "statistics-secret-5f1c9e";
    private const long SecretNumber = 918273645546372819;

    private readonly CollectedTelemetry telemetry = new();
    private readonly AllLogs logs = new();

    protected override void ConfigureServices(IServiceCollection services) => telemetry.AddTo(services);

    protected override void ConfigureLogging(ILoggingBuilder logging) => logs.AddTo(logging);

    private static JsonObject Statistics() => new() { ["note"] = SecretText, ["rowsRead"] = SecretNumber, ["nested"] = new JsonObject { ["deep"] = SecretText } };

    [Test]
    public async Task No_span_or_log_line_carries_the_bearer_token_or_a_statistics_value()
    {
        var token = TestTokens.Write();
        using var client = Host.CreateAuthorizedClient(token);

        var created = await client.CreateRunAsync(RunBodies.Outgoing().With("statistics", Statistics()));
        var id = (string)created["id"]!;
        var responses = new List<HttpResponseMessage>
        {
            await client.GetAsync($"runs('{id}')"),
            await client.GetAsync("runs?$filter=status eq 'completed'&$top=5"),
            await client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')", new JsonObject { ["statistics"] = Statistics() }.ToJsonString()),
            await client.PostJsonAsync("runs", RunBodies.Outgoing().With("statistics", Statistics()).With("endDateTime", "2020-01-01T00:00:00Z")),
            await client.PostJsonAsync("runs", RunBodies.Outgoing().With("statistics", Statistics()).With("status", "nope")),
            await client.PostJsonAsync("$batch", new JsonObject
            {
                ["requests"] = new JsonArray(new JsonObject
                {
                    ["id"] = "1", ["method"] = "POST", ["url"] = "runs", ["headers"] = new JsonObject { ["Content-Type"] = "application/json" },
                    ["body"] = RunBodies.Incoming().With("statistics", Statistics()),
                }),
            }),
            await Host.CreateAuthorizedClient(token + "x").GetAsync("runs"),
        };
        Assert.That(responses.Select(response => (int)response.StatusCode), Is.EqualTo(new[] { 200, 200, 204, 400, 400, 200, 401 }));
        await telemetry.SpanAsync(span => span.Kind == ActivityKind.Server && (int?)span.GetTagItem("http.response.status_code") == 401, "for the 401");
        responses.ForEach(response => response.Dispose());

        var signature = token[(token.LastIndexOf('.') + 1)..];
        var secrets = new[] { token, signature, SecretText, SecretNumber.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var spanTexts = telemetry.Spans.Select(SpanText).ToList();
        var logLines = logs.Lines.Select(line => line.Line).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(spanTexts, Has.Count.GreaterThan(10), "the requests were traced");
            Assert.That(logLines, Has.Count.GreaterThan(50), "everything was logged, down to Trace");
            foreach (var secret in secrets)
            {
                Assert.That(spanTexts.Where(text => text.Contains(secret, StringComparison.Ordinal)), Is.Empty, $"spans containing '{secret[..Math.Min(12, secret.Length)]}…'");
                Assert.That(logLines.Where(text => text.Contains(secret, StringComparison.Ordinal)), Is.Empty, $"log lines containing '{secret[..Math.Min(12, secret.Length)]}…'");
            }
        });
    }

    [Test]
    public async Task Log_lines_written_during_a_request_carry_its_trace_id_span_id_and_request_id()
    {
        // Ordered by displayName: a list EF Core runs and logs (plain first pages are direct reads, see SqliteRunReads).
        using var response = await Client.GetAsync("runs?$top=1&$orderby=displayName");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var requestId = response.Header("request-id");
        var span = await telemetry.SpanAsync(s => s.Kind == ActivityKind.Server && (string?)s.GetTagItem("industrydata.request_id") == requestId, "for the request");

        // EF Core logs each command it runs for the request, from inside the request pipeline.
        var commandLines = logs.Lines.Where(line => line.Category == "Microsoft.EntityFrameworkCore.Database.Command" && line.Line.Contains("request-id=" + requestId, StringComparison.Ordinal)).ToList();
        Assert.That(commandLines, Is.Not.Empty, string.Join("\n", logs.Lines.Select(line => line.Line).Take(50)));
        Assert.Multiple(() =>
        {
            foreach (var (_, line) in commandLines)
            {
                Assert.That(line, Does.Contain("TraceId=" + span.TraceId.ToHexString()));
                Assert.That(line, Does.Contain("SpanId="));
            }
        });
    }

    private static string SpanText(Activity span) =>
        string.Join(" | ", new[] { span.DisplayName, span.OperationName, span.StatusDescription ?? string.Empty }
            .Concat(span.TagObjects.Select(tag => $"{tag.Key}={tag.Value}"))
            .Concat(span.Events.SelectMany(e => new[] { e.Name }.Concat(e.Tags.Select(tag => $"{tag.Key}={tag.Value}"))))
            .Concat(span.Baggage.Select(item => $"{item.Key}={item.Value}")));
}
