using System.Net;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Conformance.Protocol;

/// <summary>OData 4.01 Minimal Conformance Level (OData Protocol §12.2.1), the items this suite's features touch.</summary>
public sealed class Minimal401Tests : ApiFixture
{
    private async Task<HttpResponseMessage> GetAsync(string url, string prefer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Prefer", prefer);
        return await Client.SendAsync(request);
    }

    /// <summary>4. MUST support both prefixed and non-prefixed variants of supported headers and preference values.</summary>
    [Test]
    public async Task Minimal401_4_prefixed_and_non_prefixed_preferences()
    {
        await Client.CreateRunAsync(RunBodies.Outgoing());
        await Client.CreateRunAsync(RunBodies.Outgoing());

        foreach (var (prefixed, plain) in new[] { ("odata.maxpagesize=1", "maxpagesize=1"), ("odata.track-changes", "track-changes") })
        {
            using var withPrefix = await GetAsync("runs", prefixed);
            using var withoutPrefix = await GetAsync("runs", plain);
            var prefixedPage = await withPrefix.ReadJsonAsync();
            var plainPage = await withoutPrefix.ReadJsonAsync();

            Assert.Multiple(() =>
            {
                Assert.That(withPrefix.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(withPrefix.Header("Preference-Applied"), Is.EqualTo(prefixed));
                Assert.That(withoutPrefix.Header("Preference-Applied"), Is.EqualTo(plain));
                Assert.That(plainPage["value"]!.AsArray(), Has.Count.EqualTo(prefixedPage["value"]!.AsArray().Count), plain);
                Assert.That((string?)plainPage["@odata.context"], Is.EqualTo((string?)prefixedPage["@odata.context"]), plain);
            });
        }
    }

    /// <summary>
    /// 27. MAY support $select and $expand on data modification requests (§11.4.1.5): $select is applied to the run
    /// returned (the same content as a GET with it), implies return=representation, and $expand is a 501 as on GET.
    /// </summary>
    [Test]
    public async Task Minimal401_27_select_on_data_modification_requests()
    {
        using var created = await Client.PostJsonAsync("runs?$select=status", RunBodies.Outgoing());
        var id = created.Headers.Location!.ToString().Split('\'')[1];
        using var updated = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')?$select=status", """{"status":"failed"}""");
        using var read = await Client.GetAsync($"runs('{id}')?$select=status");
        using var expand = await Client.PostJsonAsync("runs?$expand=*", RunBodies.Outgoing());

        Assert.Multiple(async () =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That((await created.ReadJsonAsync()).Select(member => member.Key), Is.EqualTo(new[] { "@odata.context", "@odata.type", "@odata.etag", "status" }));
            Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await updated.Content.ReadAsStringAsync(), Is.EqualTo(await read.Content.ReadAsStringAsync()));
            Assert.That(expand.StatusCode, Is.EqualTo(HttpStatusCode.NotImplemented));
        });
    }
}
