namespace IndustryData.OData.Tests.Infrastructure;

/// <summary>
/// SQL Server for the provider-parameterised suites: a server named by <see cref="ConnectionStringVariable"/>;
/// without one, the test is reported as skipped with the reason, never passed silently.
/// </summary>
public sealed class SqlServerTestDatabase : TestDatabase
{
    public const string ConnectionStringVariable = "INDUSTRYDATA_TEST_SQLSERVER";

    private SqlServerTestDatabase(string connectionString) => ConnectionString = connectionString;

    public override TestProvider Provider => TestProvider.SqlServer;

    public override string ConnectionString { get; }

    public static Task<TestDatabase> CreateAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Assert.Ignore($"no SQL Server: set {ConnectionStringVariable} or start Docker");
        }

        return Task.FromResult<TestDatabase>(new SqlServerTestDatabase(connectionString!));
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
