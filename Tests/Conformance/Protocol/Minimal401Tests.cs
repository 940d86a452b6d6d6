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
    /// returned (the same content as a GET with it), implies return=representation; $expand=* is accepted and changes
    /// nothing, as on GET (runs have no navigation properties): the create answers as without it.
    /// </summary>
    [Test]
    public async Task Minimal401_27_select_and_expand_on_data_modification_requests()
    {
        using var created = await Client.PostJsonAsync("runs?$select=status", RunBodies.Outgoing());
        var id = created.Headers.Location!.ToString().Split('\'')[1];
        using var updated = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')?$select=status", """{"status":"failed"}""");
        using var read = await Client.GetAsync($"runs('{id}')?$select=status");
        using var expand = await Client.PostJsonAsync("runs?$expand=*", RunBodies.Outgoing());
        using var plain = await Client.PostJsonAsync("runs", RunBodies.Outgoing());

        Assert.Multiple(async () =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That((await created.ReadJsonAsync()).Select(member => member.Key), Is.EqualTo(new[] { "@odata.context", "@odata.type", "@odata.etag", "status" }));
            Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await updated.Content.ReadAsStringAsync(), Is.EqualTo(await read.Content.ReadAsStringAsync()));
            Assert.That(expand.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That((await expand.ReadJsonAsync()).Select(member => member.Key), Is.EqualTo((await plain.ReadJsonAsync()).Select(member => member.Key)));
        });
    }

    /// <summary>
    /// 17 (and 4.0 Minimal 4): a client that allows 4.01 (OData-MaxVersion: 4.01) is answered in 4.01; one that does not
    /// gets 4.0 exactly as before. The payloads are the same (4.01 keeps the optional odata. prefix), so both read them:
    /// the same Kiota-generated client creates, pages through @odata.nextLink and reads by key either way (Tests/OpenApi/KiotaClientTests).
    /// </summary>
    [Test]
    public async Task Minimal401_17_401_and_40_clients_side_by_side()
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        foreach (var url in new[] { "runs", $"runs('{id}')", $"runs('{id}')/status", "runs('missing')", "$metadata" })
        {
            using var v40 = await SendAsync(url, "4.0");
            using var v401 = await SendAsync(url, "4.01");
            using var none = await SendAsync(url, null);

            Assert.Multiple(async () =>
            {
                Assert.That(v40.Header("OData-Version"), Is.EqualTo("4.0"), url);
                Assert.That(none.Header("OData-Version"), Is.EqualTo("4.0"), url);
                Assert.That(v401.Header("OData-Version"), Is.EqualTo("4.01"), url);
                Assert.That(v401.StatusCode, Is.EqualTo(v40.StatusCode), url);
                Assert.That(Stable(await v401.Content.ReadAsStringAsync()), Is.EqualTo(Stable(await v40.Content.ReadAsStringAsync())), url);
            });
        }
    }

    /// <summary>
    /// 12. SHOULD return Core.ODataVersions; 13. SHOULD report capabilities, here the conformance level
    /// (Capabilities.ConformanceLevel): Advanced; every MUST of the 4.0 and 4.01 levels has a test in Tests/Conformance
    /// or a reason in NotApplicable ($expand, 4.0 Advanced #9: Advanced40Tests), and $expand is Expandable.
    /// </summary>
    [Test]
    public async Task Minimal401_12_13_metadata_declares_versions_and_conformance_level()
    {
        using var xml = await Client.GetAsync("$metadata", "application/xml");
        var container = System.Xml.Linq.XDocument.Parse(await xml.Content.ReadAsStringAsync()).Descendants().Single(element => element.Name.LocalName == "EntityContainer");
        var annotations = container.Elements().Where(element => element.Name.LocalName == "Annotation")
            .ToDictionary(element => (string)element.Attribute("Term")!, element => (string?)element.Attribute("String") ?? element.Value);
        var json = await Client.GetJsonAsync("$metadata?$format=application/json");
        var jsonContainer = json["microsoft.graph.industryData"]!["industryData"]!;

        Assert.Multiple(() =>
        {
            Assert.That(annotations["Core.ODataVersions"], Is.EqualTo("4.0 4.01"));
            Assert.That(annotations["Capabilities.ConformanceLevel"], Is.EqualTo("Org.OData.Capabilities.V1.ConformanceLevelType/Advanced"));
            Assert.That((string?)jsonContainer["@Core.ODataVersions"], Is.EqualTo("4.0 4.01"));
            Assert.That((string?)jsonContainer["@Capabilities.ConformanceLevel"], Is.EqualTo("Advanced"));
            Assert.That((bool?)jsonContainer["runs"]!["@Capabilities.ExpandRestrictions"]!["Expandable"], Is.True);
            Assert.That((bool?)jsonContainer["subscriptions"]!["@Capabilities.ExpandRestrictions"]!["Expandable"], Is.True);
        });
    }

    /// <summary>
    /// 9.6. MUST support parameter aliases for key values if they allow the octets 00, 2F or 5C in string literals: the
    /// key of a run is an Edm.String, so runs(@k)?@k='…' addresses it as runs('…') does.
    /// </summary>
    [Test]
    public async Task Minimal401_9_6_parameter_alias_for_a_key_value()
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        using var direct = await Client.GetAsync($"runs('{id}')");
        using var aliased = await Client.GetAsync($"runs(@k)?@k='{id}'");
        using var named = await Client.GetAsync($"runs(id=@k)?@k='{id}'");

        Assert.Multiple(async () =>
        {
            Assert.That(aliased.StatusCode, Is.EqualTo(HttpStatusCode.OK), await aliased.Content.ReadAsStringAsync());
            Assert.That(await aliased.Content.ReadAsStringAsync(), Is.EqualTo(await direct.Content.ReadAsStringAsync()));
            Assert.That(await named.Content.ReadAsStringAsync(), Is.EqualTo(await direct.Content.ReadAsStringAsync()));
        });
    }

    /// <summary>4. Non-prefixed headers: Isolation (4.01) as OData-Isolation (4.0); snapshot isolation is not provided, so 412 (§8.2.6).</summary>
    [Test]
    public async Task Minimal401_4_isolation_with_and_without_prefix()
    {
        foreach (var header in new[] { "Isolation", "OData-Isolation" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "runs");
            request.Headers.TryAddWithoutValidation(header, "snapshot");
            using var response = await Client.SendAsync(request);
            await response.AssertGraphErrorAsync(HttpStatusCode.PreconditionFailed, "isolationNotSupported", header);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string url, string? maxVersion)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (maxVersion is not null)
        {
            request.Headers.TryAddWithoutValidation("OData-MaxVersion", maxVersion);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>The body without what differs per response (request ids and dates of errors).</summary>
    private static string Stable(string body) => System.Text.RegularExpressions.Regex.Replace(body, "\"(request-id|trace-id|date)\":\"[^\"]*\"", string.Empty);
}
