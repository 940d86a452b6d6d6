using System.Net;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Reliability;

/// <summary>Requests the fuzz test found answered with 500 (or worse), each pinned down with the answer it must get.</summary>
public class HostileInputRegressionTests : ApiFixture
{
    [TestCase("runs?=x")]
    [TestCase("runs?$top=1&=x")]
    [TestCase("runs/$count?=x")]
    [TestCase("runs('{id}')?=x")]
    public async Task A_query_parameter_without_a_name_is_a_400(string url)
    {
        using var response = await Client.GetODataAsync(await WithIdAsync(url));

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidQueryOption");
    }

    [TestCase("runs?$select=displayName($select=x)")]
    [TestCase("runs('{id}')?$select=displayName($select=x)")]
    [TestCase("runs/microsoft.graph.industryData.outgoingFlowRun?$select=displayName($select=x)")]
    public async Task Nested_options_on_a_primitive_property_in_select_are_a_400(string url)
    {
        using var response = await Client.GetAsync(await WithIdAsync(url));

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidQueryOption", "$select");
    }

    [TestCase("1 div 0 eq 1")]
    [TestCase("1 mod 0 eq 1")]
    [TestCase("startDateTime lt 2026-01-01T00:00:00Z and 7 div 0 gt 1")]
    public async Task Arithmetic_on_constants_that_cannot_be_evaluated_is_a_400(string filter)
    {
        using var response = await Client.GetAsync("runs?$filter=" + Uri.EscapeDataString(filter));

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidQueryOption", "$filter");
    }

    [TestCase("null")]
    [TestCase("(null)")]
    [TestCase("not null")]
    [TestCase("null and true")]
    [TestCase("true or null")]
    [TestCase("displayName eq 'x' or null")]
    public async Task A_filter_with_null_where_a_condition_belongs_is_a_400(string filter)
    {
        using var response = await Client.GetAsync("runs?$filter=" + Uri.EscapeDataString(filter));

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidQueryOption", "$filter");
    }

    [TestCase("endDateTime eq null", 1)]
    [TestCase("null eq endDateTime", 1)]
    [TestCase("endDateTime ne null or displayName eq null", 0)]
    public async Task Comparing_with_null_still_works(string filter, int expected)
    {
        await Client.CreateRunAsync(RunBodies.Outgoing().With("endDateTime", null));

        var page = await Client.GetJsonAsync("runs?$filter=" + Uri.EscapeDataString(filter));

        Assert.That(page["value"]!.AsArray(), Has.Count.EqualTo(expected));
    }

    /// <summary>The stock binder could not bind these (a 400); they are valid OData, now evaluated (a cast of a run to a primitive type is null).</summary>
    [TestCase("totaloffsetminutes(startDateTime) eq 0")]
    [TestCase("(cast($it,'Edm.String') eq null) and (totaloffsetminutes(startDateTime) eq 0)")]
    public async Task A_function_the_stock_binder_could_not_bind_is_evaluated(string filter)
    {
        await Client.CreateRunAsync(RunBodies.Incoming());

        var page = await Client.GetJsonAsync("runs/microsoft.graph.industryData.incomingFlowRun?$filter=" + Uri.EscapeDataString(filter));

        Assert.That(page["value"]!.AsArray(), Has.Count.EqualTo(1));
    }

    [TestCase("runs/microsoft.graph.industryData.incomingFlowRun?$orderby=cast($it,'microsoft.graph.industryData.outgoingFlowRun')/displayName")]
    [TestCase("runs/microsoft.graph.industryData.outgoingFlowRun?$orderby=cast($it,'microsoft.graph.industryData.incomingFlowRun')/status desc,id")]
    public async Task Sorting_through_a_cast_to_a_type_the_set_cannot_hold_is_a_400(string url)
    {
        using var response = await Client.GetAsync(url);

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "unsortableProperty", "$orderby");
    }

    [TestCase("runs?$orderby=cast($it,'microsoft.graph.industryData.outgoingFlowRun')/displayName")]
    [TestCase("runs?$orderby=microsoft.graph.industryData.outgoingFlowRun/displayName desc")]
    [TestCase("runs/microsoft.graph.industryData.outgoingFlowRun?$orderby=microsoft.graph.industryData.outgoingFlowRun/displayName")]
    public async Task Sorting_through_a_cast_the_set_can_hold_still_works(string url)
    {
        await Client.CreateRunAsync(RunBodies.Outgoing());

        var page = await Client.GetJsonAsync(url);

        Assert.That(page["value"]!.AsArray(), Has.Count.EqualTo(1));
    }

    [TestCase("POST", "runs")]
    [TestCase("PATCH", "runs('{id}')")]
    [TestCase("PUT", "runs('{id}')")]
    public async Task A_form_encoded_body_is_a_415_whatever_its_keys(string method, string url)
    {
        var target = await WithIdAsync(url);
        var stored = await Host.CountRunsAsync();

        using var response = await Client.SendJsonAsync(new HttpMethod(method), target, "a[=1&b]]=2&%ZZ", "application/x-www-form-urlencoded");

        await response.AssertGraphErrorAsync(HttpStatusCode.UnsupportedMediaType, "unsupportedMediaType");
        Assert.That(await Host.CountRunsAsync(), Is.EqualTo(stored));
    }

    [TestCase("""
        "statistics":{"a":{"b":"\udfff"}}
        """, TestName = "Rejects an unpaired surrogate nested in statistics")]
    [TestCase("""
        "statistics":{"a":["\ud800"]}
        """, TestName = "Rejects an unpaired surrogate in an array in statistics")]
    [TestCase("""
        "statistics":{"a":"\ud800"}
        """, TestName = "Rejects an unpaired surrogate as a statistics value")]
    [TestCase("""
        "statistics":{"\ud800":1}
        """, TestName = "Rejects an unpaired surrogate in a statistics member name")]
    [TestCase("""
        "statistics":{},"\ud800":1
        """, TestName = "Rejects an unpaired surrogate in a property name")]
    [TestCase("""
        "statistics":{},"blockingError":{"code":"\udc00"}
        """, TestName = "Rejects an unpaired surrogate in blockingError")]
    [TestCase("""
        "statistics":{},"blockingError":{"innerError":{"x":{"y":"\ud800"}}}
        """, TestName = "Rejects an unpaired surrogate in innerError")]
    public async Task An_unpaired_surrogate_anywhere_in_the_body_is_a_400_and_stores_nothing(string members)
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "runs", RunWith(members));

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidString");
        Assert.That(await Host.CountRunsAsync(), Is.Zero);
    }

    [TestCase("displayName", TestName = "Rejects bytes that are not UTF-8 in displayName")]
    [TestCase("statistics", TestName = "Rejects bytes that are not UTF-8 in statistics")]
    [TestCase("name", TestName = "Rejects bytes that are not UTF-8 in a member name")]
    public async Task Bytes_that_are_not_utf8_are_a_400_and_store_nothing(string where)
    {
        var text = where switch
        {
            "displayName" => RunWith("\"statistics\":{}").Replace("Nightly", "Nightly\u0001", StringComparison.Ordinal),
            "statistics" => RunWith("\"statistics\":{\"a\":\"x\u0001y\"}"),
            _ => RunWith("\"statistics\":{\"\u0001\":1}"),
        };
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        bytes[Array.IndexOf(bytes, (byte)1)] = 0xFF; // \u0001 marks the spot; 0xFF never occurs in UTF-8
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await Client.PostAsync("runs", content);

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidString");
        Assert.That(await Host.CountRunsAsync(), Is.Zero);
    }

    [TestCase("=")]
    [TestCase(";;;")]
    [TestCase("return=minimal,")]
    [TestCase("return=minimal, x=\"unterminated")]
    public async Task A_create_with_an_unparseable_prefer_header_is_a_400_and_stores_nothing(string prefer)
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "runs", RunBodies.Outgoing().ToJsonString(), headers: new Dictionary<string, string> { ["Prefer"] = prefer });

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidPreferHeader", "Prefer");
        Assert.That(await Host.CountRunsAsync(), Is.Zero);
    }

    [Test]
    public async Task An_update_with_an_unparseable_prefer_header_is_a_400_and_changes_nothing()
    {
        var created = await Client.CreateRunAsync(RunBodies.Outgoing());
        var url = $"runs('{created["id"]}')";

        using var response = await Client.SendJsonAsync(HttpMethod.Patch, url, "{\"displayName\":\"Changed\"}", headers: new Dictionary<string, string> { ["Prefer"] = ";;;" });

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidPreferHeader", "Prefer");
        Assert.That((string?)(await Client.GetJsonAsync(url))["displayName"], Is.EqualTo("Nightly export"));
    }

    [TestCase("OData-Version", new[] { "" })]
    [TestCase("OData-Version", new[] { "", "4.0" })]
    [TestCase("OData-Version", new[] { "4.0", "" })]
    [TestCase("OData-MaxVersion", new[] { "", "4.01" })]
    [TestCase("OData-MaxVersion", new[] { " ", "4.0" })]
    public async Task An_empty_version_header_counts_as_not_sent(string header, string[] values)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "runs");
        foreach (var value in values)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        using var response = await Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [TestCase("POST")]
    [TestCase("DELETE")]
    public async Task Health_answers_only_get_and_head(string method)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "health"));

        await response.AssertGraphErrorAsync(HttpStatusCode.MethodNotAllowed, "methodNotAllowed");
        Assert.That(response.Content.Headers.Allow, Is.SupersetOf(new[] { "GET", "HEAD" }));
    }

    /// <summary>A valid outgoing run's required members, then <paramref name="members"/> (which must include statistics).</summary>
    private static string RunWith(string members) =>
        "{\"@odata.type\":\"#microsoft.graph.industryData.outgoingFlowRun\",\"displayName\":\"Nightly export\",\"startDateTime\":\"2026-01-31T09:30:00Z\",\"status\":\"completed\"," + members.Trim() + "}";

    private async Task<string> WithIdAsync(string url)
    {
        if (!url.Contains("{id}", StringComparison.Ordinal))
        {
            return url;
        }

        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        return url.Replace("{id}", id, StringComparison.Ordinal);
    }
}
