using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace IndustryData.OData.Service.Storage;

/// <summary>Lets `dotnet ef` build each provider's context without starting the web host or reaching a server.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteRunsDbContext>
{
    public SqliteRunsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteRunsDbContext>().UseSqlite(StorageServiceCollectionExtensions.DefaultSqliteConnectionString).Options);
}

public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerRunsDbContext>
{
    /// <summary>Never opened: migrations and scripts are generated offline.</summary>
    public const string OfflineConnectionString = "Server=localhost;Database=IndustryData;Integrated Security=false;TrustServerCertificate=true";

    public SqlServerRunsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerRunsDbContext>().UseSqlServer(OfflineConnectionString).Options);
}
