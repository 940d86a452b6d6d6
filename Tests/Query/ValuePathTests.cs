using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// Paths into a run's complex values (OData URL Conventions §4.6, Protocol §11.2.6): members of blockingError and its
/// innerError, the collection blockingError/details with its query options and /$count, members of the open
/// statistics at any depth, /$value of every primitive; 204 for a null value, 404 for a member that is not there.
/// </summary>
public sealed class ValuePathTests : ApiFixture
{
    private const string Cast = "microsoft.graph.industryData.outgoingFlowRun";

    private static JsonObject BlockingError() => new()
    {
        ["code"] = "quotaExceeded",
        ["message"] = "Quota exceeded",
        ["target"] = null,
        ["details"] = new JsonArray(
            new JsonObject { ["code"] = "d1", ["message"] = "first", ["target"] = "students" },
            new JsonObject { ["code"] = "d3", ["message"] = "third", ["target"] = null },
            new JsonObject { ["code"] = "d2", ["message"] = "second", ["target"] = "teachers" }),
        ["innerError"] = new JsonObject { ["code"] = "inner", ["extra"] = new JsonArray(1, "two"), ["deep"] = new JsonObject { ["x"] = 5 } },
    };

    private static JsonObject Statistics() => new()
    {
        ["rowsRead"] = 1200,
        ["ratio"] = 0.50,
        ["big"] = 12345678901234567890.0,
        ["name"] = "roster",
        ["done"] = true,
        ["none"] = null,
        ["nested"] = new JsonObject { ["a"] = new JsonArray(1, null, true), ["b"] = new JsonObject { ["c"] = "deep" } },
    };

    private string id = null!;
    private string plainId = null!;

    [SetUp]
    public async Task CreateRunsAsync()
    {
        id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing().With("blockingError", BlockingError()).With("statistics", Statistics())))["id"]!;
        plainId = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
    }

    private string Url(string form, string? run = null) => string.Format(System.Globalization.CultureInfo.InvariantCulture, form, run ?? id);

    private async Task<(HttpResponseMessage Response, string Text)> GetAsync(string form, string? run = null)
    {
        var response = await Client.GetODataAsync(Url(form, run));
        return (response, await response.Content.ReadAsStringAsync());
    }

    [TestCase("blockingError/code", "\"quotaExceeded\"")]
    [TestCase("blockingError/message", "\"Quota exceeded\"")]
    [TestCase("blockingError/innerError/code", "\"inner\"")]
    [TestCase("blockingError/innerError/extra", "[1,\"two\"]")]
    [TestCase("blockingError/innerError/deep/x", "5")]
    [TestCase("statistics/rowsRead", "1200")]
    [TestCase("statistics/ratio", "0.5")]
    [TestCase("statistics/big", "1.2345678901234567E+19")]
    [TestCase("statistics/done", "true")]
    [TestCase("statistics/nested/a", "[1,null,true]")]
    [TestCase("statistics/nested/b/c", "\"deep\"")]
    public async Task A_primitive_or_collection_inside_a_run_answers_its_value_with_a_context_url(string path, string value)
    {
        var stored = (await Client.GetJsonAsync($"runs('{id}')"))!;
        var (response, text) = await GetAsync("runs('{0}')/" + path);
        using var _ = response;

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(response.Header("OData-Version"), Is.EqualTo("4.0"));
            Assert.That(text, Is.EqualTo($"{{\"@odata.context\":\"http://localhost/$metadata#runs('{id}')/{path}\",\"value\":{value}}}"));
            Assert.That(JsonNode.Parse(text)!["value"]!.ToJsonString(), Is.EqualTo(Walk(stored, path)!.ToJsonString()), "the value as GET of the run writes it");
        });
    }

    [TestCase("blockingError/innerError")]
    [TestCase("statistics/nested")]
    [TestCase("statistics/nested/b")]
    public async Task A_complex_value_inside_a_run_answers_itself_with_a_context_url(string path)
    {
        var stored = (await Client.GetJsonAsync($"runs('{id}')"))!;

        var body = await Client.GetJsonAsync(Url("runs('{0}')/" + path));

        Assert.That((string?)body["@odata.context"], Is.EqualTo($"http://localhost/$metadata#runs('{id}')/{path}"));
        body.Remove("@odata.context");
        Assert.That(body.ToJsonString(), Is.EqualTo(Walk(stored, path)!.ToJsonString()));
    }

    [TestCase("blockingError/code/$value", "quotaExceeded")]
    [TestCase("blockingError/innerError/deep/x/$value", "5")]
    [TestCase("statistics/rowsRead/$value", "1200")]
    [TestCase("statistics/ratio/$value", "0.5")]
    [TestCase("statistics/name/$value", "roster")]
    [TestCase("statistics/done/$value", "true")]
    [TestCase("statistics/nested/b/c/$value", "deep")]
    public async Task Value_of_a_primitive_inside_a_run_is_plain_text(string path, string raw)
    {
        var (response, text) = await GetAsync("runs('{0}')/" + path);
        using var _ = response;

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/plain; charset=utf-8"));
            Assert.That(text, Is.EqualTo(raw));
        });
    }

    [TestCase("blockingError/target")]
    [TestCase("blockingError/target/$value")]
    [TestCase("blockingError/innerError/message")]
    [TestCase("statistics/none")]
    [TestCase("statistics/none/$value")]
    [TestCase("statistics/none/deeper")]
    public async Task A_null_value_is_204(string path)
    {
        var (response, text) = await GetAsync("runs('{0}')/" + path);
        using var _ = response;

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), text);
            Assert.That(text, Is.Empty);
        });
    }

    [TestCase("blockingError/code")]
    [TestCase("blockingError/code/$value")]
    [TestCase("blockingError/innerError/code")]
    [TestCase("blockingError/details")]
    public async Task A_property_of_a_null_complex_value_is_204(string path)
    {
        var (response, _) = await GetAsync("runs('{0}')/" + path, plainId);
        using var __ = response;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    [TestCase("statistics/missing")]
    [TestCase("statistics/nested/missing")]
    [TestCase("statistics/rowsRead/x")]
    [TestCase("blockingError/innerError/missing")]
    public async Task A_member_the_value_does_not_have_is_a_404(string path)
    {
        var (response, _) = await GetAsync("runs('{0}')/" + path);
        using var __ = response;

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
        Assert.That((string?)error["message"], Does.Contain("has no member"));
    }

    [TestCase("runs('{0}')/blockingError/nope")]
    [TestCase("runs('{0}')/blockingError/code/more")]
    [TestCase("runs('{0}')/statistics/$value")]
    [TestCase("runs('{0}')/blockingError/$count")]
    [TestCase("runs('{0}')/statistics//x")]
    [TestCase("runs('missing')/statistics/rowsRead")]
    public async Task A_path_the_model_cannot_have_or_an_unknown_run_is_a_404(string form)
    {
        var (response, _) = await GetAsync(form);
        using var __ = response;

        await response.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
    }

    [TestCase("statistics/nested/$value")]
    [TestCase("statistics/rowsRead/$count")]
    public async Task Value_of_an_object_or_count_of_a_primitive_is_a_400(string path)
    {
        var (response, _) = await GetAsync("runs('{0}')/" + path);
        using var __ = response;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        GraphErrorAssert.AssertShape(response, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Details_answers_the_collection_as_stored()
    {
        var body = await Client.GetJsonAsync($"runs('{id}')/blockingError/details");

        Assert.Multiple(() =>
        {
            Assert.That((string?)body["@odata.context"], Is.EqualTo($"http://localhost/$metadata#runs('{id}')/blockingError/details"));
            Assert.That(body["value"]!.ToJsonString(), Is.EqualTo(BlockingError()["details"]!.ToJsonString()));
        });
    }

    [TestCase("$filter=code eq 'd2'", "d2")]
    [TestCase("$filter=target eq null", "d3")]
    [TestCase("$filter=startswith(message,'s') or code eq 'd1'", "d1,d2")]
    [TestCase("$filter=contains(target,'ach')", "d2")]
    [TestCase("$orderby=code", "d1,d2,d3")]
    [TestCase("$orderby=target desc,code", "d2,d1,d3")]
    [TestCase("$orderby=code desc&$skip=1", "d2,d1")]
    [TestCase("$orderby=code&$top=2", "d1,d2")]
    [TestCase("$filter=code ne 'd1'&$orderby=code&$skip=1&$top=5", "d3")]
    [TestCase("filter=code eq 'd1'", "d1")]
    [TestCase("$FILTER=code eq 'd1'", "d1")]
    public async Task Details_take_filter_orderby_skip_and_top(string query, string codes)
    {
        var body = await Client.GetJsonAsync($"runs('{id}')/blockingError/details?{query}");

        Assert.That(string.Join(',', body["value"]!.AsArray().Select(detail => (string?)detail!["code"])), Is.EqualTo(codes));
    }

    [Test]
    public async Task Details_take_count_and_select()
    {
        using var response = await Client.GetAsync($"runs('{id}')/blockingError/details?$filter=code ne 'd1'&$count=true&$top=1&$select=code,target&$orderby=code");

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(
            $"{{\"@odata.context\":\"http://localhost/$metadata#runs('{id}')/blockingError/details(code,target)\",\"@odata.count\":2,\"value\":[{{\"code\":\"d2\",\"target\":\"teachers\"}}]}}"));
    }

    [TestCase("runs('{0}')/blockingError/details/$count", "3")]
    [TestCase("runs('{0}')/blockingError/details/$count?$filter=target ne null", "2")]
    [TestCase("runs('{0}')/blockingError/innerError/details/$count", "0")]
    [TestCase("runs('{0}')/statistics/nested/a/$count", "3")]
    public async Task Count_of_a_collection_is_plain_text(string form, string count)
    {
        var (response, text) = await GetAsync(form);
        using var _ = response;

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(text, Is.EqualTo(count));
        });
    }

    [TestCase("$filter=nope eq 1", HttpStatusCode.BadRequest, "invalidQueryOption", "$filter")]
    [TestCase("$filter=code eq", HttpStatusCode.BadRequest, "invalidQueryOption", "$filter")]
    [TestCase("$orderby=nope", HttpStatusCode.BadRequest, "invalidQueryOption", "$orderby")]
    [TestCase("$select=nope", HttpStatusCode.BadRequest, "invalidQueryOption", "$select")]
    [TestCase("$top=-1", HttpStatusCode.BadRequest, "invalidQueryOption", "$top")]
    [TestCase("$top=1&$top=2", HttpStatusCode.BadRequest, "duplicateQueryOption", "$top")]
    [TestCase("$expand=code", HttpStatusCode.BadRequest, "invalidQueryOption", "$expand")]
    [TestCase("$search=(x", HttpStatusCode.BadRequest, "invalidSearch", "$search")]
    [TestCase("$apply=aggregate($count as n)", HttpStatusCode.NotImplemented, "queryOptionNotSupported", "$apply")]
    [TestCase("$foo=1", HttpStatusCode.BadRequest, "unknownQueryOption", "$foo")]
    public async Task Bad_query_options_on_details_are_refused(string query, HttpStatusCode status, string innerCode, string target)
    {
        using var response = await Client.GetAsync($"runs('{id}')/blockingError/details?{query}");

        await response.AssertGraphErrorAsync(status, innerCode, target);
    }

    [TestCase("statistics/rowsRead?$top=1", "$top")]
    [TestCase("blockingError/code?$filter=code eq 'x'", "$filter")]
    [TestCase("statistics/nested/a?$orderby=x", "$orderby")]
    public async Task Query_options_that_shape_collections_are_a_400_on_a_single_value(string path, string option)
    {
        using var response = await Client.GetAsync($"runs('{id}')/{path}");

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "queryOptionNotApplicable", option);
    }

    [TestCase("runs/{0}/statistics/rowsRead", "runs('{0}')/statistics/rowsRead")]
    [TestCase("runs(id='{0}')/statistics/rowsRead", "runs('{0}')/statistics/rowsRead")]
    [TestCase("runs('{0}')/" + Cast + "/blockingError/code", "runs('{0}')/" + Cast + "/blockingError/code")]
    [TestCase("runs/{0}/" + Cast + "/blockingError/code", "runs('{0}')/" + Cast + "/blockingError/code")]
    [TestCase("runs/" + Cast + "('{0}')/statistics/nested/b", "runs/" + Cast + "('{0}')/statistics/nested/b")]
    [TestCase("runs/" + Cast + "(id='{0}')/blockingError/details", "runs/" + Cast + "('{0}')/blockingError/details")]
    [TestCase("runs/" + Cast + "/{0}/blockingError/innerError/code", "runs/" + Cast + "('{0}')/blockingError/innerError/code")]
    public async Task Every_key_and_cast_form_reaches_the_value_with_its_context_url(string form, string context)
    {
        var body = await Client.GetJsonAsync(Url(form));

        Assert.That((string?)body["@odata.context"], Is.EqualTo("http://localhost/$metadata#" + Url(context)));
    }

    [TestCase("runs/" + Cast + "/{0}/blockingError/details/$count", "3")]
    [TestCase("runs(id='{0}')/statistics/rowsRead/$value", "1200")]
    public async Task Every_key_and_cast_form_reaches_raw_values(string form, string raw)
    {
        var (response, text) = await GetAsync(form);
        using var _ = response;

        Assert.That(text, Is.EqualTo(raw));
    }

    [TestCase("runs/microsoft.graph.industryData.incomingFlowRun('{0}')/statistics/rowsRead")]
    [TestCase("runs('{0}')/microsoft.graph.industryData.incomingFlowRun/blockingError/details/$count")]
    public async Task A_cast_to_the_type_the_run_is_not_is_a_404(string form)
    {
        var (response, _) = await GetAsync(form);
        using var __ = response;

        await response.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
    }

    [TestCase("statistics/rowsRead")]
    [TestCase("statistics/rowsRead/$value")]
    [TestCase("blockingError/details?$top=1")]
    [TestCase("blockingError/details/$count")]
    [TestCase("statistics/none")]
    public async Task The_run_etag_comes_with_the_value_and_if_none_match_is_a_304(string path)
    {
        var etag = (string)(await Client.GetJsonAsync($"runs('{id}')"))["@odata.etag"]!;
        var (response, _) = await GetAsync("runs('{0}')/" + path);
        using var __ = response;
        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"runs('{id}')/{path}");
        conditional.Headers.TryAddWithoutValidation("If-None-Match", etag);
        conditional.Headers.TryAddWithoutValidation("Accept", "*/*");
        using var notModified = await Client.SendAsync(conditional);

        Assert.Multiple(async () =>
        {
            Assert.That(response.Headers.ETag?.ToString(), Is.EqualTo(etag));
            Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(notModified.Headers.ETag?.ToString(), Is.EqualTo(etag));
            Assert.That(await notModified.Content.ReadAsStringAsync(), Is.Empty);
        });
    }

    [Test]
    public async Task A_changed_run_answers_the_value_again_with_the_new_etag()
    {
        var etag = (string)(await Client.GetJsonAsync($"runs('{id}')"))["@odata.etag"]!;
        using (var patch = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')", new JsonObject { ["statistics"] = new JsonObject { ["rowsRead"] = 7 } }.ToJsonString()))
        {
            Assert.That(patch.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"runs('{id}')/statistics/rowsRead");
        conditional.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var response = await Client.SendAsync(conditional);
        var body = await response.ReadJsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((int?)body["value"], Is.EqualTo(7));
            Assert.That(response.Headers.ETag?.ToString(), Is.Not.EqualTo(etag));
        });
    }

    [Test]
    public async Task A_property_of_the_run_answers_its_etag_and_304_too()
    {
        var etag = (string)(await Client.GetJsonAsync($"runs('{id}')"))["@odata.etag"]!;
        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"runs('{id}')/displayName");
        conditional.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var notModified = await Client.SendAsync(conditional);
        using var plain = await Client.GetAsync($"runs('{id}')/displayName");

        Assert.Multiple(() =>
        {
            Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(plain.Headers.ETag?.ToString(), Is.EqualTo(etag));
        });
    }

    [Test]
    public async Task Head_answers_the_headers_of_get_without_a_body()
    {
        using var get = await Client.GetAsync($"runs('{id}')/statistics/nested");
        using var headRequest = new HttpRequestMessage(HttpMethod.Head, $"runs('{id}')/statistics/nested");
        using var head = await Client.SendAsync(headRequest);

        var (getAnswer, headAnswer) = (await Answer.ReadAsync(get), await Answer.ReadAsync(head));

        Assert.Multiple(() =>
        {
            Assert.That(headAnswer.Status, Is.EqualTo(200));
            Assert.That(headAnswer.Headers, Is.EqualTo(getAnswer.Headers));
            Assert.That(headAnswer.Body, Is.Empty);
        });
    }

    /// <summary>Values inside a run are written with PUT, PATCH and DELETE (Tests/Update/PropertyWriteTests); POST is a 405.</summary>
    [Test]
    public async Task Posting_to_a_value_inside_a_run_is_405()
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, $"runs('{id}')/statistics/rowsRead", "{\"value\":1}");

        await response.AssertGraphErrorAsync(HttpStatusCode.MethodNotAllowed, "methodNotAllowed");
    }

    [Test]
    public async Task Metadata_none_leaves_the_context_url_out()
    {
        using var response = await Client.GetAsync($"runs('{id}')/blockingError/code", "application/json;odata.metadata=none");

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("{\"value\":\"quotaExceeded\"}"));
    }

    private static JsonNode? Walk(JsonObject run, string path) =>
        path.Split('/').Aggregate<string, JsonNode?>(run, (node, name) => node![name]);
}
