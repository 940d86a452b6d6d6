using System.Net;
using System.Net.Http.Headers;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace IndustryData.OData.Tests.Security;

/// <summary>Signing keys from configuration follow its reloads, without a restart (issue 14, item 6).</summary>
public class SigningKeyReloadTests : ApiFixture
{
    private const string DevelopmentIssuer = "dotnet-user-jwts";
    private const string KeyPrefix = "Authentication:Schemes:Bearer:SigningKeys:1:";

    private static readonly string NewKey = Convert.ToBase64String("a-key-added-while-the-service-runs-0123456789"u8.ToArray());

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Authentication:Schemes:Bearer:ValidIssuers:0"] = DevelopmentIssuer,
    };

    [Test]
    public async Task A_key_added_to_configuration_is_trusted_at_once_and_a_removed_one_no_longer()
    {
        var settings = new ReloadableSettings();
        await using var host = Reloading(settings);
        using var client = host.CreateClient();
        var token = TestTokens.SignedWith(NewKey, DevelopmentIssuer);

        using (var before = await GetRunsAsync(client, token))
        {
            await before.AssertGraphErrorAsync(HttpStatusCode.Unauthorized, "invalidToken");
        }

        settings.Set(new() { [KeyPrefix + "Issuer"] = DevelopmentIssuer, [KeyPrefix + "Value"] = NewKey });
        using (var added = await GetRunsAsync(client, token))
        using (var again = await GetRunsAsync(client, token))
        {
            Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.OK), await added.Content.ReadAsStringAsync());
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a validation the cache holds");
        }

        settings.Set([]);
        using (var removed = await GetRunsAsync(client, token))
        {
            await removed.AssertGraphErrorAsync(HttpStatusCode.Unauthorized, "invalidToken");
        }

        using var unaffected = await GetRunsAsync(client, TestTokens.Write());
        Assert.That(unaffected.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the key configured at start-up is still trusted");
    }

    [Test]
    public async Task Keys_that_cannot_be_read_leave_the_trusted_keys_as_they_were()
    {
        var settings = new ReloadableSettings();
        await using var host = Reloading(settings);
        using var client = host.CreateClient();
        using (var first = await GetRunsAsync(client, TestTokens.Write()))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // Two keys for one issuer (the configuration binding allows one) and then a value that is not base64.
        settings.Set(new() { [KeyPrefix + "Issuer"] = TestTokens.Issuer, [KeyPrefix + "Value"] = NewKey });
        using (var duplicate = await GetRunsAsync(client, TestTokens.BadSignature()))
        {
            await duplicate.AssertGraphErrorAsync(HttpStatusCode.Unauthorized, "invalidToken");
        }

        settings.Set(new() { [KeyPrefix + "Issuer"] = DevelopmentIssuer, [KeyPrefix + "Value"] = "not base64!" });
        using var still = await GetRunsAsync(client, TestTokens.Expiring(DateTime.UtcNow.AddMinutes(30)));
        Assert.That(still.StatusCode, Is.EqualTo(HttpStatusCode.OK), await still.Content.ReadAsStringAsync());
    }

    private WebApplicationFactory<Program> Reloading(ReloadableSettings settings) =>
        Host.WithWebHostBuilder(builder => builder.ConfigureAppConfiguration(configuration => configuration.Add(settings)));

    private static Task<HttpResponseMessage> GetRunsAsync(HttpClient client, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "runs");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    /// <summary>A configuration provider whose values a test replaces, signalling a reload as a changed file would.</summary>
    private sealed class ReloadableSettings : ConfigurationProvider, IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

        public void Set(Dictionary<string, string?> values)
        {
            Data = new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);
            OnReload();
        }
    }
}
