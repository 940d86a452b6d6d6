using Microsoft.Data.SqlClient;

namespace IndustryData.OData.Tests.Infrastructure;

/// <summary>
/// A database of its own for each test on the run's <see cref="SqlServerTestServer"/>; without a server the test is
/// reported as skipped with the reason, never passed silently.
/// A fresh database per test, rather than Respawn over a shared one, lets every test start the service on an empty
/// database exactly as production does on first start (its migrations create it), and leaves nothing to reset.
/// </summary>
public sealed class SqlServerTestDatabase : TestDatabase
{
    private const string DropIfExists = """
        IF DB_ID(@name) IS NOT NULL
            EXEC (N'ALTER DATABASE ' + QUOTENAME(@name) + N' SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE ' + QUOTENAME(@name) + N';');
        """;

    private readonly string serverConnectionString;
    private readonly string name;

    private SqlServerTestDatabase(string serverConnectionString, string name)
    {
        this.serverConnectionString = serverConnectionString;
        this.name = name;
        ConnectionString = new SqlConnectionStringBuilder(serverConnectionString) { InitialCatalog = name }.ConnectionString;
    }

    public override TestProvider Provider => TestProvider.SqlServer;

    public override string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var server = await SqlServerTestServer.GetAsync();
        if (server.ConnectionString is null)
        {
            Assert.Ignore($"no SQL Server: set {SqlServerTestServer.ConnectionStringVariable} or start Docker ({server.UnavailableBecause})");
        }

        return new SqlServerTestDatabase(server.ConnectionString, $"industrydata_test_{Guid.NewGuid():N}");
    }

    public override async ValueTask DisposeAsync()
    {
        await using (var pooled = new SqlConnection(ConnectionString))
        {
            SqlConnection.ClearPool(pooled);
        }

        var master = new SqlConnectionStringBuilder(serverConnectionString) { InitialCatalog = "master" }.ConnectionString;
        await using var connection = new SqlConnection(master);
        await connection.OpenAsync();
        await using var command = new SqlCommand(DropIfExists, connection);
        command.Parameters.Add(new SqlParameter("@name", System.Data.SqlDbType.NVarChar, 128) { Value = name });
        await command.ExecuteNonQueryAsync();
    }
}
