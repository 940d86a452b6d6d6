using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.OpenApi;

/// <summary>
/// What edm/industryData.openapi.json promises, the service does: each adjustment generate.js makes to the converter's
/// output is checked here against the running service.
/// </summary>
public class OpenApiDescriptionTests : ApiFixture
{
    private static readonly JsonObject Document =
        JsonNode.Parse(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "edm", "industryData.openapi.json")))!.AsObject();

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations() =>
        from path in Document["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        where operation.Value is JsonObject && operation.Key is "get" or "post" or "patch" or "put" or "delete"
        select (path.Key, operation.Key, operation.Value!.AsObject());

    [Test]
    public void Every_operation_needs_a_bearer_token_with_the_permission_it_takes()
    {
        var scheme = Document["components"]!["securitySchemes"]!["bearer"]!;
        Assert.Multiple(() =>
        {
            Assert.That(((string?)scheme["type"], (string?)scheme["scheme"]), Is.EqualTo(("http", "bearer")));
            foreach (var (path, method, operation) in Operations())
            {
                var alternatives = operation["security"]!.AsArray().Select(requirement => requirement!["bearer"]!.AsArray().Single()!.GetValue<string>());
                // Subscribing to runs needs only the permission to read them (Graph's rule).
                var expected = method == "get" || path == "/$batch" || path.StartsWith("/subscriptions", StringComparison.Ordinal)
                    ? new[] { TestTokens.ReadAll, TestTokens.ReadWriteAll }
                    : new[] { TestTokens.ReadWriteAll };
                Assert.That(alternatives, Is.EquivalentTo(expected), $"{method} {path}");
            }
        });
    }

    [Test]
    public async Task The_security_it_states_is_enforced()
    {
        using var anonymous = Host.CreateGuardedClient();
        using var readOnly = Host.CreateAuthorizedClient(TestTokens.Read());
        using var noToken = await anonymous.GetAsync("runs");
        using var readerCreates = await readOnly.PostJsonAsync("runs", RunBodies.Outgoing());
        using var readerReads = await readOnly.GetAsync("runs");

        Assert.Multiple(() =>
        {
            Assert.That(noToken.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(readerCreates.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(readerReads.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Every_error_the_service_sends_fits_the_described_error_schema()
    {
        var schema = Document["components"]!["schemas"]!["error"]!["properties"]!["error"]!;
        using var response = await Client.PostJsonAsync("runs", RunBodies.Outgoing().With("status", "Completed").Without("displayName"));
        var error = (await response.ReadJsonAsync())["error"]!.AsObject();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            foreach (var (_, _, operation) in Operations())
            {
                Assert.That((string?)operation["responses"]!["4XX"]!["$ref"], Is.EqualTo("#/components/responses/error"));
                Assert.That(new[] { "400", "401", "403" }.Select(code => (string?)operation["responses"]![code]!["$ref"]),
                    Is.EqualTo(new[] { "#/components/responses/400", "#/components/responses/401", "#/components/responses/403" }));
                Assert.That((string?)operation["responses"]!["5XX"]!["$ref"], Is.EqualTo("#/components/responses/error"));
            }

            Assert.That((string?)Document["components"]!["responses"]!["400"]!["content"]!["application/json"]!["schema"]!["$ref"], Is.EqualTo("#/components/schemas/error"));
            Assert.That(error.Select(member => member.Key), Is.SubsetOf(schema["properties"]!.AsObject().Select(member => member.Key)));
            Assert.That(schema["required"]!.AsArray().Select(name => (string?)name), Is.SubsetOf(error.Select(member => member.Key)));
            Assert.That(error["innerError"]!.AsObject().Select(member => member.Key),
                Is.SubsetOf(schema["properties"]!["innerError"]!["properties"]!.AsObject().Select(member => member.Key)));
            Assert.That(error["details"]!.AsArray(), Is.Not.Empty);
        });
    }

    [Test]
    public async Task The_create_example_creates_the_run_it_shows()
    {
        var body = Document["paths"]!["/runs"]!["post"]!["requestBody"]!["content"]!["application/json"]!;
        var created = await Client.CreateRunAsync(body["example"]!.DeepClone().AsObject());
        var stored = await Host.WithDbAsync(db => Task.FromResult(db.Runs.Single()));

        Assert.Multiple(() =>
        {
            Assert.That((string?)created["@odata.type"], Is.EqualTo("#microsoft.graph.industryData.outgoingFlowRun"));
            Assert.That(stored.Id, Is.EqualTo((string?)created["id"]));
            Assert.That(stored.DisplayName, Is.EqualTo("Nightly roster export"));
            Assert.That((string?)body["schema"]!["$ref"], Is.EqualTo("#/components/schemas/microsoft.graph.industryData.run-create"));
            Assert.That(Document["components"]!["schemas"]!["microsoft.graph.industryData.run-create"]!["discriminator"]!["mapping"]!.AsObject().Select(entry => entry.Key),
                Is.EquivalentTo(new[] { "#microsoft.graph.industryData.outgoingFlowRun", "#microsoft.graph.industryData.incomingFlowRun" }));
        });
    }

    [Test]
    public async Task A_create_without_what_the_create_schema_requires_is_rejected()
    {
        var required = Document["components"]!["schemas"]!["microsoft.graph.industryData.outgoingFlowRun-create"]!["required"]!.AsArray()
            .Select(name => name!.GetValue<string>()).ToList();

        Assert.That(required, Is.EquivalentTo(new[] { "@odata.type", "displayName", "startDateTime", "status" }));
        foreach (var property in required)
        {
            using var response = await Client.PostJsonAsync("runs", RunBodies.Outgoing().Without(property));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), property);
        }
    }

    [Test]
    public async Task Every_orderby_value_offered_is_accepted()
    {
        var values = Document["paths"]!["/runs"]!["get"]!["parameters"]!.AsArray()
            .Single(parameter => (string?)parameter!["name"] == "$orderby")!["schema"]!["items"]!["enum"]!.AsArray()
            .Select(value => value!.GetValue<string>()).ToList();

        Assert.That(values, Does.Not.Contain("blockingError/code"), "members of non-sortable complex properties are not offered");
        foreach (var value in values)
        {
            using var response = await Client.GetAsync("runs?$orderby=" + Uri.EscapeDataString(value));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), value);
        }
    }

    [Test]
    public async Task The_apply_example_is_answered_in_the_aggregation_shape()
    {
        var apply = Operations().Where(op => op.Path == "/runs" && op.Method == "get")
            .SelectMany(op => op.Operation["parameters"]!.AsArray()).Single(parameter => (string?)parameter!["name"] == "$apply")!;
        await Client.CreateRunAsync(RunBodies.Outgoing());

        var page = await Client.GetJsonAsync("runs?$apply=" + Uri.EscapeDataString((string)apply["example"]!));

        Assert.That(page["value"]!.ToJsonString(), Is.EqualTo("""[{"@odata.id":null,"status":"completed","n@odata.type":"#Decimal","n":1}]"""));
    }

    [Test]
    public async Task The_json_batch_example_is_answered()
    {
        var example = Document["paths"]!["/$batch"]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"]!;
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "$batch", example.ToJsonString());
        var responses = (await response.ReadJsonAsync())["responses"]!.AsArray();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(responses.Select(part => (int)part!["status"]!), Is.All.EqualTo(200));
        });
    }

    [Test]
    public async Task The_key_forms_described_address_the_same_run()
    {
        var description = (string)Document["paths"]!["/runs/{id}"]!["description"]!;
        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        const string cast = "microsoft.graph.industryData.outgoingFlowRun";

        Assert.That(description, Does.Contain("runs('{id}')").And.Contain("runs('{id}')/{type-cast}"));
        foreach (var url in new[] { $"runs/{id}", $"runs('{id}')", $"runs('{id}')/{cast}" })
        {
            var run = await Client.GetJsonAsync(url);
            Assert.That((string?)run["id"], Is.EqualTo(id), url);
        }

        using var otherType = await Client.GetAsync($"runs('{id}')/microsoft.graph.industryData.incomingFlowRun");
        Assert.That(otherType.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
