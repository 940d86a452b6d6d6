using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Security;

/// <summary>
/// README's order on a fresh machine (issue 14, item 6): the service starts in Development with no user secrets at all,
/// then `dotnet user-jwts create` writes a signing key to the user secrets file, and the token it minted must work
/// without a restart. The service runs as its own process with a home folder of its own, so the user secrets folder
/// does not exist when it starts (the case .NET's user secrets source does not watch).
/// </summary>
public class FirstTokenTests
{
    private const string Issuer = "dotnet-user-jwts";
    private const string Audience = "http://localhost:5000";
    private const string UserSecretsId = "industrydata-odata-service";

    [Test]
    [CancelAfter(120_000)]
    public async Task A_key_minted_after_start_up_is_trusted_without_a_restart_and_its_removal_is_honoured()
    {
        await using var database = new SqliteTestDatabase();
        var home = Directory.CreateTempSubdirectory("industrydata-home-").FullName;
        try
        {
            await using var service = await ServiceProcess.StartAsync(database.FilePath, new Dictionary<string, string?>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["HOME"] = home,
            }, testTokenSettings: false);
            var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            using var client = service.CreateClient(TestTokens.SignedWith(key, Issuer, Audience));
            using (var before = await client.GetAsync("runs"))
            {
                Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            }

            // What `dotnet user-jwts create` writes (its exact shape).
            var secrets = Path.Combine(home, ".microsoft", "usersecrets", UserSecretsId, "secrets.json");
            Directory.CreateDirectory(Path.GetDirectoryName(secrets)!);
            await File.WriteAllTextAsync(secrets, new JsonObject
            {
                ["Authentication:Schemes:Bearer:SigningKeys"] = new JsonArray(new JsonObject { ["Id"] = "1a2b3c4d", ["Issuer"] = Issuer, ["Value"] = key, ["Length"] = 32 }),
            }.ToJsonString());
            Assert.That(await StatusWithinAsync(client, HttpStatusCode.OK), Is.EqualTo(HttpStatusCode.OK), service.Output);

            await File.WriteAllTextAsync(secrets, "{}");
            Assert.That(await StatusWithinAsync(client, HttpStatusCode.Unauthorized), Is.EqualTo(HttpStatusCode.Unauthorized), service.Output);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>GET /runs until it answers <paramref name="expected"/> (a file change reaches the service within a second or so); the last status.</summary>
    private static async Task<HttpStatusCode> StatusWithinAsync(HttpClient client, HttpStatusCode expected)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync("runs");
            if (response.StatusCode == expected || clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                return response.StatusCode;
            }

            await Task.Delay(100);
        }
    }
}
