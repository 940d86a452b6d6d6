using System.Net;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Security;

public class LimitsTests : ApiFixture
{
    [Test]
    public async Task A_filter_with_too_many_nodes_is_a_400()
    {
        var filter = string.Join(" or ", Enumerable.Range(0, 60).Select(i => $"displayName eq 'n{i}'"));

        using var response = await Client.GetAsync("runs?$filter=" + Uri.EscapeDataString(filter));

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "queryTooComplex", "$filter");
    }

    [Test]
    public async Task More_than_five_sort_keys_is_a_400()
    {
        using var response = await Client.GetAsync("runs?$orderby=" + Uri.EscapeDataString("displayName,status,startDateTime,endDateTime,id,displayName desc"));

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "queryTooComplex", "$orderby");
    }

    [Test]
    public async Task A_url_longer_than_8_kib_is_a_414()
    {
        using var response = await Client.GetAsync("runs?$filter=" + Uri.EscapeDataString($"displayName eq '{new string('x', 9000)}'"));

        await response.AssertGraphErrorAsync(HttpStatusCode.RequestUriTooLong, "urlTooLong");
    }

    [Test]
    public async Task Every_response_says_nosniff_and_never_names_the_server()
    {
        using var ok = await Client.GetAsync("runs");
        using var error = await Client.GetAsync("runs('missing')");

        Assert.Multiple(() =>
        {
            Assert.That(ok.Header("X-Content-Type-Options"), Is.EqualTo("nosniff"));
            Assert.That(error.Header("X-Content-Type-Options"), Is.EqualTo("nosniff"));
        });
    }
}
