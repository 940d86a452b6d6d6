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
}
