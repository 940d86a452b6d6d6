using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using IndustryData.OData.Service.Hosting;
using IndustryData.OData.Service.Runs;
using IndustryData.OData.Service.Telemetry;
using IndustryData.OData.Tests.Infrastructure;
using IndustryData.OData.Tests.Telemetry;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.DependencyInjection;

namespace IndustryData.OData.Tests.Protocol;

/// <summary>
/// GET runs('{id}') and the plain first pages are answered before routing (<see cref="DirectRunReads"/>): a client
/// must not be able to tell — every request answers as the controller answers it (status, headers, body), traces
/// and metrics name the same route, and every other request still reaches the controller.
/// </summary>
public sealed class DirectRunReadsTests() : ApiFixture(TestProvider.Sqlite)
{
    private readonly ActionCount actions = new();
    private readonly CollectedTelemetry telemetry = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        telemetry.AddTo(services);
        CountActions(services, actions);
    }

    private static void CountActions(IServiceCollection services, ActionCount count)
    {
        services.AddSingleton(count);
        services.Configure<MvcOptions>(mvc => mvc.Filters.Add(new ServiceFilterAttribute(typeof(ActionCount))));
    }

    [Test]
    public async Task The_hot_reads_never_reach_the_controller_and_everything_else_does()
    {
        var id = await CreateAsync("completed");

        foreach (var url in new[] { $"runs('{id}')", "runs?$top=50", "runs?$filter=status eq 'completed'&$top=50", "runs?$filter=status%20eq%20%27completed%27&$top=1", "runs?$top=100" })
        {
            var before = actions.Count;
            using var response = await Client.GetAsync(url);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
            Assert.That(actions.Count, Is.EqualTo(before), $"{url} reached a controller action");
        }

        foreach (var url in new[] { "runs", $"runs/{id}", $"runs('{id}')?$select=id", "runs?$top=101", "runs?$top=5&$count=true", "runs?$filter=status eq 'Completed'&$top=5", "runs('missing')" })
        {
            var before = actions.Count;
            using var response = await Client.GetAsync(url);
            Assert.That(actions.Count, Is.EqualTo(before + 1), $"{url} did not reach a controller action");
        }
    }

    [Test]
    public async Task Every_read_answers_as_the_controller_answers_it()
    {
        var statuses = new[] { "failed", "completed", "running", "completedWithErrors" };
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var status = statuses[i % statuses.Length];
            var body = (i % 2 == 0 ? RunBodies.Outgoing() : RunBodies.Incoming()).With("status", status).With("displayName", $"direct {i} \"ü\"");
            ids.Add(await CreateAsync(status, status == "running" ? body.Without("endDateTime") : body));
        }

        await using var controllerOnly = new ServiceHost(Host.Database, new Dictionary<string, string?> { [DirectRunReads.Setting] = "false" });
        var etag = (await Client.GetAsync($"runs('{ids[1]}')")).Headers.ETag!.Tag;
        var urls = new[]
        {
            $"runs('{ids[0]}')", $"runs('{ids[1]}')", $"runs(%27{ids[2]}%27)", $"Runs('{ids[3]}')", "runs('missing')", "runs('a''b')", $"runs('{ids[4]}')?$select=status",
            "runs?$top=50", "runs?$top=1", "runs?$top=100", "runs?$top=101", "runs?$top=0", "runs?$top=05", "runs?$TOP=5", "runs?top=5", "runs?$top=-1", "runs?$top=x",
            "runs?$filter=status eq 'completed'&$top=3", "runs?$top=3&$filter=status eq 'failed'", "runs?$filter=status eq 'Completed'&$top=3",
            "runs?$filter=status eq 'nope'&$top=3", "runs?$filter=status  eq 'failed'&$top=3", "runs?$filter=status eq 'failed'", "runs?$top=2&$top=3",
            "runs?$filter=status eq 'failed'&$filter=status eq 'completed'&$top=3", "runs?$top=3&$skip=1", "runs/",
        };
        var headerVariants = new (string Name, Action<HttpRequestMessage> Apply)[]
        {
            ("no headers", _ => { }),
            ("Accept: application/json", request => request.Headers.Accept.ParseAdd("application/json")),
            ("Accept: full metadata", request => request.Headers.Accept.ParseAdd("application/json;odata.metadata=full")),
            ("Accept: text/plain", request => request.Headers.Accept.ParseAdd("text/plain")),
            ("OData-MaxVersion: 4.01", request => request.Headers.Add("OData-MaxVersion", "4.01")),
            ("Prefer: return=minimal", request => request.Headers.Add("Prefer", "return=minimal")),
            ("Prefer: odata.maxpagesize=2", request => request.Headers.Add("Prefer", "odata.maxpagesize=2")),
            ("If-None-Match", request => request.Headers.TryAddWithoutValidation("If-None-Match", etag)),
            ("Accept-Charset", request => request.Headers.AcceptCharset.ParseAdd("utf-8")),
        };

        using var direct = Host.CreateAuthorizedClient(TestTokens.Read());
        using var viaController = controllerOnly.CreateAuthorizedClient(TestTokens.Read());
        foreach (var url in urls)
        {
            foreach (var (name, apply) in headerVariants)
            {
                await AssertSameAnswerAsync(direct, viaController, HttpMethod.Get, url, apply, $"GET {url} with {name}");
            }
        }

        await AssertSameAnswerAsync(direct, viaController, HttpMethod.Head, $"runs('{ids[0]}')", _ => { }, "HEAD by key");
        foreach (var token in new[] { null, TestTokens.Delegated("User.Read"), TestTokens.Expired() })
        {
            using var caller = Host.CreateGuardedClient();
            using var callerViaController = controllerOnly.CreateGuardedClient();
            foreach (var url in new[] { $"runs('{ids[0]}')", "runs?$top=5" })
            {
                void Authorize(HttpRequestMessage request)
                {
                    if (token is not null)
                    {
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    }
                }

                await AssertSameAnswerAsync(caller, callerViaController, HttpMethod.Get, url, Authorize, $"GET {url} with token {token?[..10] ?? "none"}");
            }
        }
    }

    [Test]
    public async Task Under_a_route_prefix_the_hot_reads_answer_as_the_controller_does()
    {
        var id = await CreateAsync("completed");
        var counted = new ActionCount();
        var prefixed = new Dictionary<string, string?> { [ServiceRootPath.RoutePrefixKey] = "v1.0" };
        await using var direct = new ServiceHost(Host.Database, prefixed, services: services => CountActions(services, counted));
        await using var controllerOnly = new ServiceHost(Host.Database, new Dictionary<string, string?>(prefixed) { [DirectRunReads.Setting] = "false" });
        using var directClient = direct.CreateAuthorizedClient();
        using var controllerClient = controllerOnly.CreateAuthorizedClient();

        foreach (var url in new[] { $"v1.0/runs('{id}')", "v1.0/runs?$top=5", "v1.0/runs?$filter=status eq 'completed'&$top=5" })
        {
            await AssertSameAnswerAsync(directClient, controllerClient, HttpMethod.Get, url, _ => { }, url);
        }

        Assert.That(counted.Count, Is.Zero, "the prefixed hot reads reached a controller action");
        await AssertSameAnswerAsync(directClient, controllerClient, HttpMethod.Get, $"runs('{id}')", _ => { }, "outside the prefix");
    }

    [Test]
    public async Task Traces_and_metrics_name_the_controllers_route()
    {
        var id = await CreateAsync("completed");

        using var byKey = await Client.GetAsync($"runs('{id}')");
        using var page = await Client.GetAsync("runs?$top=5");
        var byKeySpan = await telemetry.RequestSpanAsync(byKey);
        var pageSpan = await telemetry.RequestSpanAsync(page);
        var query = await telemetry.SpanAsync(
            span => CollectedTelemetry.IsDatabaseSpan(span) && span.TraceId == byKeySpan.TraceId && span.ParentSpanId == byKeySpan.SpanId,
            "for the query of the read by key");

        Assert.Multiple(() =>
        {
            Assert.That(byKeySpan.DisplayName, Is.EqualTo("GET runs({key})"));
            Assert.That(byKeySpan.GetTagItem("http.route"), Is.EqualTo("runs({key})"));
            Assert.That(pageSpan.DisplayName, Is.EqualTo("GET runs"));
            Assert.That(byKeySpan.GetTagItem("http.response.status_code"), Is.EqualTo(200));
            Assert.That(query.GetTagItem("db.query.text"), Is.Not.Null.And.Not.Contain(id));
        });
    }

    private async Task AssertSameAnswerAsync(HttpClient direct, HttpClient viaController, HttpMethod method, string url, Action<HttpRequestMessage> apply, string what)
    {
        using var first = new HttpRequestMessage(method, url);
        using var second = new HttpRequestMessage(method, url);
        apply(first);
        apply(second);
        using var a = await direct.SendAsync(first);
        using var b = await viaController.SendAsync(second);
        var (bodyA, bodyB) = (await a.Content.ReadAsStringAsync(), await b.Content.ReadAsStringAsync());
        Assert.Multiple(() =>
        {
            Assert.That(a.StatusCode, Is.EqualTo(b.StatusCode), what);
            Assert.That(Headers(a), Is.EqualTo(Headers(b)), what);
            if (a.IsSuccessStatusCode || a.StatusCode == HttpStatusCode.NotModified)
            {
                Assert.That(bodyA, Is.EqualTo(bodyB), what);
            }
            else if (bodyA.Length > 0)
            {
                // Errors carry their own request-id and date: the same error is the same code, message and target.
                var (errorA, errorB) = (JsonNode.Parse(bodyA)!["error"]!, JsonNode.Parse(bodyB)!["error"]!);
                Assert.That(((string?)errorA["code"], (string?)errorA["message"], (string?)errorA["target"]),
                    Is.EqualTo(((string?)errorB["code"], (string?)errorB["message"], (string?)errorB["target"])), what);
            }
        });
    }

    /// <summary>Every header but those that differ between any two responses (date, request ids).</summary>
    private static string Headers(HttpResponseMessage response) => string.Join("\n", response.Headers.Concat(response.Content.Headers)
        .Where(header => header.Key is not ("Date" or "request-id" or "client-request-id"))
        .OrderBy(header => header.Key, StringComparer.OrdinalIgnoreCase)
        .Select(header => $"{header.Key}: {string.Join(", ", header.Value)}"));

    private async Task<string> CreateAsync(string status, JsonObject? body = null) =>
        (string)(await Client.CreateRunAsync(body ?? RunBodies.Outgoing().With("status", status)))["id"]!;


    /// <summary>Counts controller actions that start (an MVC filter on every action).</summary>
    private sealed class ActionCount : IActionFilter
    {
        private int count;

        public int Count => Volatile.Read(ref count);

        public void OnActionExecuting(ActionExecutingContext context) => Interlocked.Increment(ref count);

        public void OnActionExecuted(ActionExecutedContext context)
        {
        }
    }
}
