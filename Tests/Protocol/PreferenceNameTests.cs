using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Protocol;

/// <summary>
/// OData 4.01 names its preferences without the odata. prefix and 4.0 with it (Protocol §8.2.8); a 4.01 service
/// honours both and answers Preference-Applied in the form the client used.
/// </summary>
public sealed class PreferenceNameTests : ApiFixture
{
    private async Task<HttpResponseMessage> GetAsync(string url, string prefer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Prefer", prefer);
        return await Client.SendAsync(request);
    }

    private async Task CreateRunsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Client.CreateRunAsync(RunBodies.Outgoing());
        }
    }

    [TestCase("maxpagesize=2", "maxpagesize=2")]
    [TestCase("odata.maxpagesize=2", "odata.maxpagesize=2")]
    [TestCase("MaxPageSize=2", "MaxPageSize=2")]
    [TestCase("return=minimal, maxpagesize=2", "maxpagesize=2")]
    public async Task Maxpagesize_pages_under_either_name(string prefer, string applied)
    {
        await CreateRunsAsync(3);

        using var response = await GetAsync("runs", prefer);
        var page = await response.ReadJsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That(page["value"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That((string?)page["@odata.nextLink"], Does.Contain("$skiptoken="));
            Assert.That(response.Header("Preference-Applied"), Is.EqualTo(applied));
        });
    }

    [Test]
    public async Task Maxpagesize_without_the_prefix_answers_exactly_what_the_prefixed_name_does()
    {
        await CreateRunsAsync(3);

        using var prefixed = await GetAsync("runs?$select=displayName&$count=true", "odata.maxpagesize=1");
        using var plain = await GetAsync("runs?$select=displayName&$count=true", "maxpagesize=1");

        Assert.That(await plain.Content.ReadAsStringAsync(), Is.EqualTo(await prefixed.Content.ReadAsStringAsync()));
    }

    [Test]
    public async Task Maxpagesize_without_the_prefix_pages_delta()
    {
        await CreateRunsAsync(2);

        using var response = await GetAsync("runs/delta()", "maxpagesize=1");
        var page = await response.ReadJsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That(page["value"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(page["@odata.nextLink"], Is.Not.Null);
            Assert.That(response.Header("Preference-Applied"), Is.EqualTo("maxpagesize=1"));
        });
    }

    [TestCase("track-changes")]
    [TestCase("odata.track-changes")]
    public async Task Track_changes_answers_delta_under_either_name(string prefer)
    {
        await CreateRunsAsync(1);

        using var response = await GetAsync("runs", prefer);
        var page = await response.ReadJsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.Header("Preference-Applied"), Is.EqualTo(prefer));
            Assert.That((string?)page["@odata.context"], Does.EndWith("#runs/$delta"));
            Assert.That((string?)page["@odata.deltaLink"], Does.Contain("$deltatoken="));
        });
    }

    [TestCase("continue-on-error")]
    [TestCase("odata.continue-on-error")]
    public async Task Continue_on_error_is_applied_to_a_batch_under_either_name(string prefer)
    {
        var batch = new JsonObject { ["requests"] = new JsonArray(new JsonObject { ["id"] = "1", ["method"] = "GET", ["url"] = "runs" }) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "$batch") { Content = new StringContent(batch.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Prefer", prefer);

        using var response = await Client.SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Header("Preference-Applied"), Is.EqualTo(prefer));
        });
    }

    [Test]
    public async Task Return_has_no_prefixed_form_so_odata_return_is_ignored()
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "runs", RunBodies.Outgoing().ToJsonString(),
            headers: new Dictionary<string, string> { ["Prefer"] = "odata.return=minimal" });

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(response.Header("Preference-Applied"), Is.Empty);
        });
    }
}
