using Microsoft.Data.Sqlite;

namespace IndustryData.OData.Tests.Infrastructure;

/// <summary>A real SQLite file in a temporary folder, deleted afterwards.</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    private readonly string directory = Directory.CreateTempSubdirectory("industrydata-tests-").FullName;

    public string FilePath => Path.Combine(directory, "runs.db");

    public override TestProvider Provider => TestProvider.Sqlite;

    public override string ConnectionString => $"Data Source={FilePath}";

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
