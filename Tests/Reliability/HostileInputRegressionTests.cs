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
        using var response = await Client.GetAsync(await WithIdAsync(url));

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

    [TestCase("totaloffsetminutes(startDateTime) eq 0")]
    [TestCase("(cast($it,'Edm.String') eq null) and (totaloffsetminutes(startDateTime) eq 0)")]
    public async Task A_function_the_binder_cannot_bind_is_a_400(string filter)
    {
        using var response = await Client.GetAsync("runs/microsoft.graph.industryData.incomingFlowRun?$filter=" + Uri.EscapeDataString(filter));

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "queryNotSupported", "$filter");
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
