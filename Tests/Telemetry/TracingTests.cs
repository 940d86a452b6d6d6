using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Service.Telemetry;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IndustryData.OData.Tests.Telemetry;

/// <summary>What an operator's trace backend receives: request spans by route, database spans, the group commit, $batch parts.</summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class TracingTests(TestProvider provider) : ApiFixture(provider)
{
    private readonly CollectedTelemetry telemetry = new();

    protected override void ConfigureServices(IServiceCollection services) => telemetry.AddTo(services);

    [Test]
    public async Task A_create_is_a_request_span_named_by_its_route_linked_from_the_group_commit_that_wrote_it_to_the_database()
    {
        using var response = await Client.PostJsonAsync("runs", RunBodies.Outgoing());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));

        var request = await telemetry.RequestSpanAsync(response);
        var commit = await telemetry.SpanAsync(
            span => CollectedTelemetry.IsGroupCommit(span) && span.Links.Any(link => link.Context.SpanId == request.SpanId && link.Context.TraceId == request.TraceId),
            "for the group commit linked to the create");
        var insert = await telemetry.SpanAsync(
            span => CollectedTelemetry.IsDatabaseSpan(span) && span.TraceId == commit.TraceId && span.ParentSpanId == commit.SpanId,
            "for the database command of the group commit");

        TestContext.Out.WriteLine(string.Join("\n", new[] { request, commit, insert }.Select(CollectedTelemetry.Describe)));
        Assert.Multiple(() =>
        {
            Assert.That(request.DisplayName, Is.EqualTo("POST runs"));
            Assert.That(request.GetTagItem("http.route"), Is.EqualTo("runs"));
            Assert.That(request.GetTagItem("http.response.status_code"), Is.EqualTo(201));
            Assert.That(commit.GetTagItem("industrydata.group_commit.runs"), Is.GreaterThanOrEqualTo(1));
            Assert.That(commit.ParentSpanId, Is.EqualTo(default(ActivitySpanId)), "the group commit is a root span: it serves many requests");
            Assert.That($"{insert.DisplayName} {insert.GetTagItem("db.query.text") ?? insert.GetTagItem("db.statement")}",
                Does.Contain("INSERT").IgnoreCase.Or.Contain("MERGE").IgnoreCase, CollectedTelemetry.Describe(insert));
        });
    }

    [Test]
    public async Task A_read_by_key_is_named_by_the_route_template_not_the_id_and_has_a_database_child_span()
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Incoming()))["id"]!;

        using var response = await Client.GetAsync($"runs/{id}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var request = await telemetry.RequestSpanAsync(response);
        var query = await telemetry.SpanAsync(
            span => CollectedTelemetry.IsDatabaseSpan(span) && span.TraceId == request.TraceId && span.ParentSpanId == request.SpanId,
            "for the query of the read");

        Assert.Multiple(() =>
        {
            Assert.That(request.DisplayName, Is.EqualTo("GET runs/{key}"));
            Assert.That(telemetry.Spans.Where(span => span.TraceId == request.TraceId).Select(CollectedTelemetry.Describe), Has.None.Contain(id),
                "the id is a value: it belongs in no span name or attribute of the read but url.path");
            Assert.That(query.GetTagItem("db.query.text") ?? query.GetTagItem("db.statement"), Is.Not.Null.And.Not.Contain(id));
        });
    }

    [Test]
    public async Task An_incoming_traceparent_is_the_parent_of_the_request_span_and_its_trace_id_is_in_the_error_body()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var parentId = ActivitySpanId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, "runs('no-such-run')");
        request.Headers.Add("traceparent", $"00-{traceId}-{parentId}-01");

        using var response = await Client.SendAsync(request);
        var body = await response.ReadJsonAsync();
        var span = await telemetry.RequestSpanAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((string?)body["error"]!["innerError"]!["trace-id"], Is.EqualTo(traceId.ToHexString()));
            Assert.That((string?)body["error"]!["innerError"]!["request-id"], Is.EqualTo(response.Header("request-id")));
            Assert.That(span.TraceId, Is.EqualTo(traceId));
            Assert.That(span.ParentSpanId, Is.EqualTo(parentId));
            Assert.That(span.GetTagItem(ServiceTelemetry.ErrorCodeAttribute), Is.EqualTo("resourceNotFound"));
        });
    }

    [Test]
    public async Task Without_a_traceparent_the_error_body_carries_the_trace_id_of_the_request_span()
    {
        using var response = await Client.PostJsonAsync("runs", RunBodies.Outgoing().With("status", "Completed"));
        var body = await response.ReadJsonAsync();
        var span = await telemetry.RequestSpanAsync(response);

        Assert.That((string?)body["error"]!["innerError"]!["trace-id"], Is.EqualTo(span.TraceId.ToHexString()));
    }

    [Test]
    public async Task A_batch_has_a_child_span_per_part_named_by_the_part_route()
    {
        var existing = (string)(await Client.CreateRunAsync(RunBodies.Incoming()))["id"]!;
        var batch = new JsonObject
        {
            ["requests"] = new JsonArray(
                new JsonObject { ["id"] = "1", ["method"] = "POST", ["url"] = "runs", ["headers"] = new JsonObject { ["Content-Type"] = "application/json" }, ["body"] = RunBodies.Outgoing() },
                new JsonObject { ["id"] = "2", ["method"] = "GET", ["url"] = $"runs('{existing}')" },
                new JsonObject { ["id"] = "3", ["method"] = "GET", ["url"] = "runs('missing')" }),
        };

        using var response = await Client.PostJsonAsync("$batch", batch);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var outer = await telemetry.RequestSpanAsync(response);
        var create = await telemetry.SpanAsync(span => span.ParentSpanId == outer.SpanId && (string?)span.GetTagItem("industrydata.batch.part_id") == "1", "for part 1");
        var read = await telemetry.SpanAsync(span => span.ParentSpanId == outer.SpanId && (string?)span.GetTagItem("industrydata.batch.part_id") == "2", "for part 2");
        var missing = await telemetry.SpanAsync(span => span.ParentSpanId == outer.SpanId && (string?)span.GetTagItem("industrydata.batch.part_id") == "3", "for part 3");
        var insert = await telemetry.SpanAsync(span => CollectedTelemetry.IsDatabaseSpan(span) && span.ParentSpanId == create.SpanId, "for the insert of part 1");

        Assert.Multiple(() =>
        {
            Assert.That(create.DisplayName, Is.EqualTo("POST runs"));
            Assert.That(create.GetTagItem("http.response.status_code"), Is.EqualTo(201));
            Assert.That(read.DisplayName, Is.EqualTo("GET runs({key})"));
            Assert.That(read.DisplayName, Does.Not.Contain(existing));
            Assert.That(missing.GetTagItem("http.response.status_code"), Is.EqualTo(404));
            Assert.That(missing.GetTagItem(ServiceTelemetry.ErrorCodeAttribute), Is.EqualTo("resourceNotFound"));
            Assert.That(create.GetTagItem(ServiceTelemetry.RequestIdAttribute), Is.Not.Null.And.Not.EqualTo(outer.GetTagItem(ServiceTelemetry.RequestIdAttribute)));
            Assert.That(insert.TraceId, Is.EqualTo(outer.TraceId));
        });
    }
}
