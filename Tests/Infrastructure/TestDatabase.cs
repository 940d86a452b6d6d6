namespace IndustryData.OData.Tests.Infrastructure;

/// <summary>A database for one test: its provider and connection string, and how to get rid of it.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public abstract TestProvider Provider { get; }

    public abstract string ConnectionString { get; }

    public static Task<TestDatabase> CreateAsync(TestProvider provider) => provider switch
    {
        TestProvider.Sqlite => Task.FromResult<TestDatabase>(new SqliteTestDatabase()),
        TestProvider.SqlServer => SqlServerTestDatabase.CreateAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    public abstract ValueTask DisposeAsync();
}
