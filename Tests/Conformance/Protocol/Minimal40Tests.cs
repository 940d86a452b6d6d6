using System.Net;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Conformance.Protocol;

/// <summary>OData 4.0 Minimal Conformance Level (OData Protocol §12.1.1), the items this suite's features touch.</summary>
public sealed class Minimal40Tests : ApiFixture
{
    private static Dictionary<string, string> Header(string name, string value) => new() { [name] = value };

    /// <summary>
    /// 26. MUST support If-Match in update/delete of any resource returned with an ETag (with §8.2.4, §8.2.5: a tag
    /// that does not match, or any tag on an entity that does not exist, is a 412; If-None-Match that matches on a
    /// data modification request is a 412), and no observable change.
    /// </summary>
    [Test]
    public async Task Minimal40_26_if_match_in_update_and_delete()
    {
        var created = await Client.CreateRunAsync(RunBodies.Outgoing());
        var id = (string)created["id"]!;
        var etag = (string)created["@odata.etag"]!;
        var body = RunBodies.Outgoing().With("displayName", "Changed").ToJsonString();

        using var stale = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')", body, headers: Header("If-Match", "W/\"999\""));
        using var noneMatchAny = await Client.SendJsonAsync(HttpMethod.Put, $"runs('{id}')", body, headers: Header("If-None-Match", "*"));
        using var missing = await Client.SendJsonAsync(HttpMethod.Delete, "runs('no-such-run')", string.Empty, headers: Header("If-Match", "*"));
        Assert.Multiple(() =>
        {
            Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
            Assert.That(noneMatchAny.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        });
        Assert.That((string?)(await Client.GetJsonAsync($"runs('{id}')"))["@odata.etag"], Is.EqualTo(etag), "a failed precondition changes nothing");

        using var matching = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')", body, headers: Header("If-Match", etag));
        Assert.That(matching.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        using var delete = await Client.SendJsonAsync(HttpMethod.Delete, $"runs('{id}')", string.Empty, headers: Header("If-Match", matching.Headers.ETag!.ToString()));
        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    /// <summary>
    /// 5.1. MUST conform to the semantics of the Accept header (§8.2.1), or fail the request: a format the resource
    /// does not produce (Accept or $format, §11.2.11) or an unknown format parameter is refused, not answered in JSON.
    /// </summary>
    [Test]
    public async Task Minimal40_5_1_accept_header()
    {
        using var atom = await Client.GetAsync("runs", "application/atom+xml");
        using var unknownParameter = await Client.GetAsync("runs", "application/json;odata.unknown=1");
        using var formatXml = await Client.GetAsync("runs?$format=xml", "application/json");
        using var json = await Client.GetAsync("runs", "application/json;odata.metadata=minimal");
        using var raw = await Client.GetAsync("runs/$count", "text/plain");

        Assert.Multiple(() =>
        {
            Assert.That(atom.StatusCode, Is.EqualTo(HttpStatusCode.NotAcceptable));
            Assert.That(unknownParameter.StatusCode, Is.EqualTo(HttpStatusCode.NotAcceptable));
            Assert.That(formatXml.StatusCode, Is.EqualTo(HttpStatusCode.NotAcceptable));
            Assert.That(json.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(json.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(raw.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
        });
    }
}
