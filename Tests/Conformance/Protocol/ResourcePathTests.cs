using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Conformance.Protocol;

/// <summary>
/// OData 4.0 Advanced #12 (resource path conventions of OData-URL) and #15 (cross-join queries), 4.01 Intermediate #11
/// and Advanced #8 (the /$filter path segment): $crossjoin(runs), $all, $entity?$id= and runs/$filter(…). $all and the
/// cross join across both entity sets (runs and subscriptions): ServiceWideCollectionTests.
/// </summary>
public sealed class ResourcePathTests : ResourcePathFixture
{
    /// <summary>15. SHOULD support cross-join queries: rows of Collection(Edm.ComplexType), one member per joined set.</summary>
    [Test]
    public async Task Advanced40_15_crossjoin()
    {
        var (failed, _, incoming) = await CreateThreeAsync();

        var links = await Client.GetJsonAsync("$crossjoin(runs)?$filter=runs/status eq 'failed'&$orderby=runs/displayName&$count=true");
        var expanded = await Client.GetJsonAsync("$crossjoin(runs)?$filter=runs/status eq 'failed'&$orderby=runs/displayName desc&$expand=runs($select=status)");
        var paged = await GetPageAsync("$crossjoin(runs)?$orderby=runs/displayName", 2);
        using var unprefixed = await Client.GetAsync("$crossjoin(runs)?$filter=status eq 'failed'");
        using var unknownSet = await Client.GetAsync("$crossjoin(runs,nope)");
        using var twice = await Client.GetAsync("$crossjoin(runs,runs)");
        var root = Client.BaseAddress!.AbsoluteUri.TrimEnd('/');

        Assert.Multiple(async () =>
        {
            Assert.That((string?)links["@odata.context"], Is.EqualTo(root + "/$metadata#Collection(Edm.ComplexType)"));
            Assert.That((int?)links["@odata.count"], Is.EqualTo(2));
            Assert.That(Items(links).Select(row => string.Join(",", row.Select(member => $"{member.Key}={member.Value}"))), Is.EqualTo(new[]
            {
                $"runs@odata.navigationLink=runs('{failed}')", $"runs@odata.navigationLink=runs('{incoming}')",
            }));
            Assert.That(Items(expanded).Select(row => (string?)row["runs"]!["id"]), Is.EqualTo(new[] { incoming, failed }));
            Assert.That(Items(expanded)[0]["runs"]!.AsObject().Select(member => member.Key), Is.EqualTo(new[] { "@odata.type", "@odata.etag", "id", "status" }));
            Assert.That(Items(paged), Has.Count.EqualTo(2));
            Assert.That((string?)paged["@odata.nextLink"], Does.StartWith(root + "/$crossjoin(runs)?").And.Contains("$skiptoken="));
            await unprefixed.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "unknownProperty", "$filter");
            Assert.That(unknownSet.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            await twice.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "duplicateEntitySet");
        });

        var next = await Client.GetJsonAsync((string)paged["@odata.nextLink"]!);
        Assert.That(Items(next).Select(row => (string?)row["runs@odata.navigationLink"]), Is.EqualTo(new[] { $"runs('{incoming}')" }));
    }

    /// <summary>
    /// 12. Resource path conventions: $all cast to runs (Collection(Edm.EntityType), each entity with its own context URL)
    /// with the collection options ($all itself, runs and subscriptions together: ServiceWideCollectionTests), and $entity?$id= resolving an entity-id (with a cast in 4.01).
    /// </summary>
    [Test]
    public async Task Advanced40_12_resource_path_conventions_all_and_entity()
    {
        var (failed, completed, incoming) = await CreateThreeAsync();
        var root = Client.BaseAddress!.AbsoluteUri.TrimEnd('/');

        const string runs = "$all/microsoft.graph.industryData.run";
        var all = await Client.GetJsonAsync(runs + "?$count=true&$orderby=displayName");
        var cast = await Client.GetJsonAsync($"$all/{Cast}?$filter=status eq 'failed'&$select=displayName");
        var top = await GetPageAsync(runs + "?$orderby=displayName", 1);
        using var count = await Client.GetAsync(runs + "/$count", "text/plain");
        var entity = await Client.GetJsonAsync($"$entity?$id=runs('{incoming}')&$select=status");
        var absolute = await Client.GetJsonAsync($"$entity?$id={Uri.EscapeDataString($"{root}/runs('{failed}')")}");
        var castEntity = await Client.GetJsonAsync($"$entity/{Cast}?$id=runs('{completed}')");
        using var wrongCast = await Client.GetAsync($"$entity/{Cast}?$id=runs('{incoming}')");
        using var notAnId = await Client.GetAsync("$entity?$id=runs");
        using var missingId = await Client.GetAsync("$entity");

        Assert.Multiple(async () =>
        {
            Assert.That((string?)all["@odata.context"], Is.EqualTo(root + "/$metadata#Collection(Edm.EntityType)"));
            Assert.That((int?)all["@odata.count"], Is.EqualTo(3));
            Assert.That(Items(all).Select(item => (string?)item["id"]), Is.EqualTo(new[] { failed, completed, incoming }));
            Assert.That((string?)Items(all)[2]["@odata.context"], Is.EqualTo(root + "/$metadata#runs/microsoft.graph.industryData.incomingFlowRun/$entity"));
            Assert.That(Items(cast).Select(item => item.Select(member => member.Key).ToList()), Is.EqualTo(new[] { new[] { "@odata.context", "@odata.type", "@odata.etag", "id", "displayName" } }));
            Assert.That((string?)Items(cast)[0]["@odata.context"], Is.EqualTo(root + $"/$metadata#runs/{Cast}(displayName)/$entity"));
            Assert.That((string?)top["@odata.nextLink"], Does.StartWith(root + "/" + runs + "?"));
            Assert.That(await count.Content.ReadAsStringAsync(), Is.EqualTo("3"));
            Assert.That((string?)entity["status"], Is.EqualTo("failed"));
            Assert.That((string?)entity["@odata.context"], Does.Contain("#runs"));
            Assert.That((string?)absolute["id"], Is.EqualTo(failed));
            Assert.That((string?)castEntity["id"], Is.EqualTo(completed));
            Assert.That(wrongCast.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            await notAnId.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidEntityId", "$id");
            await missingId.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "missingEntityId", "$id");
        });
    }

    /// <summary>
    /// 4.01 Advanced 8 (Intermediate 11): SHOULD support filtering a collection using a /$filter path segment — with an
    /// expression or a parameter alias, several times, with $filter and $count, on a type cast and on a collection property.
    /// </summary>
    [Test]
    public async Task Advanced401_8_filter_path_segment()
    {
        var (failed, _, incoming) = await CreateThreeAsync();
        using var withError = await Client.PostJsonAsync("runs", RunBodies.Outgoing().With("blockingError", new JsonObject
        {
            ["details"] = new JsonArray(new JsonObject { ["code"] = "a" }, new JsonObject { ["code"] = "b" }),
        }));
        var withErrorId = (string)(await withError.ReadJsonAsync())["id"]!;

        using var count = await Client.GetAsync("runs/$filter(status eq 'failed')/$count", "text/plain");
        var alias = await Client.GetJsonAsync("runs/$filter(@f)?@f=status eq 'failed'&$orderby=displayName");
        var twice = await Client.GetJsonAsync("runs/$filter(status eq 'failed')/$filter(@c)?@c=contains(displayName,'incoming')");
        var withOption = await Client.GetJsonAsync($"runs/{Cast}/$filter(status eq 'failed')?$filter=startswith(displayName,'a')&$select=id");
        var details = await Client.GetJsonAsync($"runs('{withErrorId}')/blockingError/details/$filter(code eq 'b')");
        using var slash = await Client.GetAsync("runs/$filter(blockingError/code eq 'x')");
        using var afterKey = await Client.GetAsync($"runs('{failed}')/$filter(status eq 'failed')");

        Assert.Multiple(async () =>
        {
            Assert.That(await count.Content.ReadAsStringAsync(), Is.EqualTo("2"));
            Assert.That(Items(alias).Select(item => (string?)item["id"]), Is.EqualTo(new[] { failed, incoming }));
            Assert.That(Items(twice).Select(item => (string?)item["id"]), Is.EqualTo(new[] { incoming }));
            Assert.That(Items(withOption).Select(item => (string?)item["id"]), Is.EqualTo(new[] { failed }));
            Assert.That(Items(details).Select(item => (string?)item["code"]), Is.EqualTo(new[] { "b" }));
            await slash.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidFilterSegment", "$filter");
            await afterKey.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidFilterSegment", "$filter");
        });
    }
}
