using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// GET runs('{id}')/{property} and /$value as OData defines them (OData 4.01 Protocol §11.2.6): a primitive in
/// {"@odata.context":…,"value":…}, a complex value as itself, the raw value as text/plain, null as 204.
/// </summary>
public sealed class PropertyAccessTests : ApiFixture
{
    private const string Cast = "microsoft.graph.industryData.outgoingFlowRun";

    private static JsonObject BlockingError() => new()
    {
        ["code"] = "quotaExceeded",
        ["message"] = "Quota <exceeded>",
        ["target"] = "statistics",
        ["details"] = new JsonArray(new JsonObject { ["code"] = "d1", ["message"] = "first", ["target"] = "t1" }),
        ["innerError"] = new JsonObject { ["code"] = "inner", ["extra"] = new JsonArray(1, "two") },
    };

    [TestCase("displayName", "\"Nightly export\"")]
    [TestCase("startDateTime", "\"2026-01-31T08:30:00Z\"")]
    [TestCase("endDateTime", "\"2026-01-31T10:00:00Z\"")]
    [TestCase("status", "\"completed\"")]
    public async Task A_primitive_property_answers_its_value_with_a_context_url(string property, string value)
    {
        var id = await CreateAsync(RunBodies.Outgoing().With("startDateTime", "2026-01-31T09:30:00+01:00"));

        using var response = await Client.GetAsync($"runs('{id}')/{property}");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(response.Header("OData-Version"), Is.EqualTo("4.0"));
            Assert.That(text, Is.EqualTo($"{{\"@odata.context\":\"http://localhost/$metadata#runs('{id}')/{property}\",\"value\":{value}}}"));
        });
    }

    [Test]
    public async Task The_id_property_answers_the_id()
    {
        var id = await CreateAsync(RunBodies.Outgoing());

        var body = await Client.GetJsonAsync($"runs('{id}')/id");

        Assert.That((string?)body["value"], Is.EqualTo(id));
    }

    [Test]
    public async Task Statistics_answers_the_open_complex_value_exactly_as_stored()
    {
        var statistics = new JsonObject { ["rowsRead"] = 1200, ["ratio"] = 0.50, ["nested"] = new JsonObject { ["a"] = new JsonArray(1, null, true) } };
        var id = await CreateAsync(RunBodies.Outgoing().With("statistics", statistics));
        var entity = await Client.GetJsonAsync($"runs('{id}')");

        using var response = await Client.GetAsync($"runs('{id}')/statistics");
        var body = await response.ReadJsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string?)body["@odata.context"], Is.EqualTo($"http://localhost/$metadata#runs('{id}')/statistics"));
            body.Remove("@odata.context");
            Assert.That(body.ToJsonString(), Is.EqualTo(entity["statistics"]!.ToJsonString()));
        });
    }

    [Test]
    public async Task BlockingError_answers_the_complex_value()
    {
        var id = await CreateAsync(RunBodies.Outgoing().With("blockingError", BlockingError()));
        var entity = await Client.GetJsonAsync($"runs('{id}')");

        var body = await Client.GetJsonAsync($"runs('{id}')/blockingError");

        Assert.Multiple(() =>
        {
            Assert.That((string?)body["@odata.context"], Is.EqualTo($"http://localhost/$metadata#runs('{id}')/blockingError"));
            body.Remove("@odata.context");
            Assert.That(JsonNode.DeepEquals(body, entity["blockingError"]), Is.True, body.ToJsonString());
            Assert.That((string?)body["innerError"]!["code"], Is.EqualTo("inner"));
        });
    }

    [TestCase("endDateTime")]
    [TestCase("blockingError")]
    [TestCase("endDateTime/$value")]
    public async Task A_null_property_is_204_no_content(string path)
    {
        var id = await CreateAsync(RunBodies.Outgoing().Without("endDateTime").With("status", "running"));

        using var response = await Client.GetODataAsync($"runs('{id}')/{path}");

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.Empty);
        });
    }

    [TestCase("displayName", "Nightly export")]
    [TestCase("startDateTime", "2026-01-31T09:30:00Z")]
    [TestCase("status", "completed")]
    public async Task Value_answers_the_raw_value_as_plain_text(string property, string raw)
    {
        var id = await CreateAsync(RunBodies.Outgoing());

        using var response = await Client.GetODataAsync($"runs('{id}')/{property}/$value");

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(raw));
        });
    }

    [TestCase("runs/{0}/displayName")]
    [TestCase("runs(id='{0}')/displayName")]
    [TestCase("runs('{0}')/" + Cast + "/displayName")]
    [TestCase("runs/" + Cast + "('{0}')/displayName")]
    [TestCase("runs/" + Cast + "/{0}/displayName")]
    [TestCase("runs/{0}/displayName/$value")]
    public async Task Every_key_form_reaches_the_property(string form)
    {
        var id = await CreateAsync(RunBodies.Outgoing());

        using var response = await Client.GetODataAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, form, id));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
            Assert.That(form.EndsWith("$value", StringComparison.Ordinal) ? text : (string?)JsonNode.Parse(text)!["value"], Is.EqualTo("Nightly export"));
        });
    }

    [TestCase("runs('{0}')/" + Cast + "/displayName")]
    [TestCase("runs/" + Cast + "('{0}')/status/$value")]
    public async Task A_cast_to_the_other_type_is_a_404(string form)
    {
        var id = await CreateAsync(RunBodies.Incoming());

        using var response = await Client.GetODataAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, form, id));

        await response.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
    }

    [TestCase("runs('missing')/displayName")]
    [TestCase("runs('missing')/displayName/$value")]
    [TestCase("runs('{0}')/noSuchProperty")]
    [TestCase("runs('{0}')/statistics/$value")]
    public async Task An_unknown_run_or_property_is_a_404(string form)
    {
        var id = await CreateAsync(RunBodies.Outgoing());

        using var response = await Client.GetODataAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, form, id));

        await response.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
    }

    [TestCase("runs('{0}')/displayName/$value/more")]
    [TestCase("runs('{0}')/$value")]
    [TestCase("runs(id=)")]
    [TestCase("runs(id=)/displayName")]
    [TestCase("runs(id='{0}',other='x')")]
    [TestCase("runs(id=42)")]
    [TestCase("runs(ID='{0}')")]
    [TestCase("runs(id='{0}'")]
    [TestCase("runs/" + Cast + "/microsoft.graph.industryData.incomingFlowRun")]
    [TestCase("runs/" + Cast + "('{0}')/microsoft.graph.industryData.incomingFlowRun")]
    [TestCase("runs/" + Cast + "()")]
    [TestCase("runs('{0}')/displayName/" + Cast)]
    public async Task Malformed_run_urls_are_a_4xx_in_the_error_shape(string form)
    {
        var id = await CreateAsync(RunBodies.Outgoing());
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, form, id);

        using var response = await Client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();

        Assert.That((int)response.StatusCode, Is.InRange(400, 499), url + " " + text);
        GraphErrorAssert.AssertShape(response, text);
    }

    [TestCase("statistics?$select=rowsRead", "$select")]
    [TestCase("displayName?$filter=status eq 'failed'", "$filter")]
    [TestCase("displayName?top=1", "top")]
    public async Task Query_options_that_shape_runs_are_a_400_on_a_property(string path, string option)
    {
        var id = await CreateAsync(RunBodies.Outgoing());

        using var response = await Client.GetODataAsync($"runs('{id}')/{path}");

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "queryOptionNotApplicable", option);
        Assert.That((string?)error["message"], Does.Contain("does not apply to a single property"));
    }

    [Test]
    public async Task Head_on_a_property_answers_the_headers_of_get_without_a_body()
    {
        var id = await CreateAsync(RunBodies.Outgoing());
        using var get = await Client.GetAsync($"runs('{id}')/displayName");
        using var headRequest = new HttpRequestMessage(HttpMethod.Head, $"runs('{id}')/displayName");
        using var head = await Client.SendAsync(headRequest);

        var (getAnswer, headAnswer) = (await Answer.ReadAsync(get), await Answer.ReadAsync(head));

        Assert.Multiple(() =>
        {
            Assert.That(headAnswer.Status, Is.EqualTo(200));
            Assert.That(headAnswer.Headers, Is.EqualTo(getAnswer.Headers));
            Assert.That(headAnswer.Body, Is.Empty);
        });
    }

    /// <summary>A property is read, written (PUT, PATCH, DELETE: Tests/Update/PropertyWriteTests), never POSTed to.</summary>
    [Test]
    public async Task Posting_to_a_single_property_is_405_with_the_allowed_methods()
    {
        var id = await CreateAsync(RunBodies.Outgoing());

        using var response = await Client.SendJsonAsync(HttpMethod.Post, $"runs('{id}')/displayName", "{\"value\":\"x\"}");

        await response.AssertGraphErrorAsync(HttpStatusCode.MethodNotAllowed, "methodNotAllowed");
        Assert.That(response.Content.Headers.Allow, Is.EquivalentTo(new[] { "GET", "HEAD", "PUT", "PATCH", "DELETE" }));
    }

    private async Task<string> CreateAsync(JsonObject body) => (string)(await Client.CreateRunAsync(body))["id"]!;
}
