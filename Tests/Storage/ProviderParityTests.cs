using System.Net;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Storage;

/// <summary>
/// What a client can observe differently, or must observe identically, on each storage provider (docs/sqlserver.md,
/// provider parity). Differences are asserted per provider so a change in either shows up here.
/// </summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class ProviderParityTests(TestProvider provider) : ApiFixture(provider)
{
    private const string SevenDigits = "2026-01-31T09:30:00.1234567Z";

    /// <summary>SQLite compares text byte for byte; SQL Server's default collation ignores case.</summary>
    private int CaseInsensitiveMatches => Provider == TestProvider.SqlServer ? 1 : 0;

    [Test]
    public async Task Equality_on_text_follows_the_database_collation()
    {
        await Client.CreateRunAsync(RunBodies.Outgoing().With("displayName", "Alpha"));

        Assert.Multiple(async () =>
        {
            Assert.That(await CountAsync("runs?$filter=displayName eq 'Alpha'"), Is.EqualTo(1));
            Assert.That(await CountAsync("runs?$filter=displayName eq 'alpha'"), Is.EqualTo(CaseInsensitiveMatches));
        });
    }

    [Test]
    public async Task Contains_follows_the_database_collation()
    {
        await Client.CreateRunAsync(RunBodies.Outgoing().With("displayName", "Alpha"));

        Assert.Multiple(async () =>
        {
            Assert.That(await CountAsync("runs?$filter=contains(displayName,'lph')"), Is.EqualTo(1));
            Assert.That(await CountAsync("runs?$filter=contains(displayName,'ALP')"), Is.EqualTo(CaseInsensitiveMatches));
        });
    }

    /// <summary>SQLite compares the prefix or suffix exactly (not with LIKE, which would ignore the case of ASCII letters).</summary>
    [Test]
    public async Task Startswith_and_endswith_follow_the_database_collation()
    {
        await Client.CreateRunAsync(RunBodies.Outgoing().With("displayName", "Alpha"));
        await Client.CreateRunAsync(RunBodies.Outgoing().With("displayName", "Ébauche"));

        Assert.Multiple(async () =>
        {
            Assert.That(await CountAsync("runs?$filter=startswith(displayName,'Alp')"), Is.EqualTo(1));
            Assert.That(await CountAsync("runs?$filter=startswith(displayName,'alp')"), Is.EqualTo(CaseInsensitiveMatches));
            Assert.That(await CountAsync("runs?$filter=startswith(displayName,'Éb')"), Is.EqualTo(1));
            Assert.That(await CountAsync("runs?$filter=startswith(displayName,'éb')"), Is.EqualTo(CaseInsensitiveMatches));
            Assert.That(await CountAsync("runs?$filter=endswith(displayName,'pha')"), Is.EqualTo(1));
            Assert.That(await CountAsync("runs?$filter=endswith(displayName,'PHA')"), Is.EqualTo(CaseInsensitiveMatches));
            Assert.That(await CountAsync("runs?$filter=startswith(displayName,'') and endswith(displayName,'')"), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Ordering_text_follows_the_database_collation()
    {
        await Client.CreateRunAsync(RunBodies.Outgoing().With("displayName", "alpha"));
        await Client.CreateRunAsync(RunBodies.Outgoing().With("displayName", "Beta"));
        string[] expected = Provider == TestProvider.SqlServer ? ["alpha", "Beta"] : ["Beta", "alpha"];

        var page = await Client.GetJsonAsync("runs?$orderby=displayName");

        Assert.That(page["value"]!.AsArray().Select(run => (string?)run!["displayName"]), Is.EqualTo(expected));
    }

    [Test]
    public async Task Seven_fractional_digits_round_trip_and_compare_exactly()
    {
        var created = await Client.CreateRunAsync(RunBodies.Outgoing().With("startDateTime", SevenDigits));
        var read = await Client.GetJsonAsync($"runs('{created["id"]}')");

        Assert.Multiple(async () =>
        {
            Assert.That((string?)created["startDateTime"], Is.EqualTo(SevenDigits));
            Assert.That((string?)read["startDateTime"], Is.EqualTo(SevenDigits));
            Assert.That(await CountAsync($"runs?$filter=startDateTime eq {SevenDigits}"), Is.EqualTo(1));
            Assert.That(await CountAsync("runs?$filter=startDateTime eq 2026-01-31T09:30:00.1234568Z"), Is.EqualTo(0));
        });
    }

    [Test]
    public async Task Every_write_changes_the_ETag_and_a_stale_one_is_refused()
    {
        var created = await Client.CreateRunAsync(RunBodies.Outgoing());
        var url = $"runs('{created["id"]}')";
        var first = (string)created["@odata.etag"]!;

        using var patched = await Client.SendJsonAsync(HttpMethod.Patch, url, """{"displayName":"Renamed"}""");
        var second = patched.Headers.ETag?.ToString();
        using var stale = await Client.SendJsonAsync(HttpMethod.Patch, url, """{"displayName":"Again"}""",
            headers: new Dictionary<string, string> { ["If-Match"] = first });
        var read = await Client.GetJsonAsync(url);

        Assert.Multiple(() =>
        {
            Assert.That(patched.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(second, Is.Not.Null.And.Not.EqualTo(first));
            Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
            Assert.That((string?)read["@odata.etag"], Is.EqualTo(second));
            Assert.That((string?)read["displayName"], Is.EqualTo("Renamed"));
        });
    }

    private async Task<int> CountAsync(string url) => (await Client.GetJsonAsync(url))["value"]!.AsArray().Count;
}
