using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.Data.SqlClient;

namespace IndustryData.OData.Tests.Storage;

/// <summary>
/// Microsoft.Data.SqlClient throws NotSupportedException on every Open in globalization-invariant mode, which would
/// make SQL Server unusable while every offline test still passed; these catch that without a server.
/// </summary>
public class SqlClientGlobalizationTests
{
    [Test]
    public async Task SqlClient_gets_as_far_as_the_network_in_the_test_process()
    {
        await using var database = new UnreachableSqlServer();
        await using var connection = new SqlConnection(database.ConnectionString);

        Assert.ThrowsAsync<SqlException>(() => connection.OpenAsync());
    }

    [Test]
    public void The_service_does_not_run_in_globalization_invariant_mode()
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "IndustryData.OData.Service.runtimeconfig.json");
        var properties = JsonNode.Parse(File.ReadAllText(path))!["runtimeOptions"]!["configProperties"];

        Assert.That((bool?)properties?["System.Globalization.Invariant"] ?? false, Is.False, path);
    }
}
