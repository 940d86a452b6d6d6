using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Create;

public class DurabilityTests
{
    [Test]
    public async Task A_created_run_survives_a_restart_of_the_service_on_the_same_database()
    {
        await using var database = new SqliteTestDatabase();
        string id;
        string before;
        await using (var first = new ServiceHost(database))
        {
            using var client = first.CreateAuthorizedClient();
            id = (string)(await client.CreateRunAsync(RunBodies.ApiPageExample()))["id"]!;
            before = (await client.GetJsonAsync($"runs('{id}')")).ToJsonString();
        }

        await using var second = new ServiceHost(database);
        using var secondClient = second.CreateAuthorizedClient();
        var after = (await secondClient.GetJsonAsync($"runs('{id}')")).ToJsonString();

        Assert.That(after, Is.EqualTo(before));
    }
}
