using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IndustryData.OData.Service.Storage;

public static class StorageServiceCollectionExtensions
{
    public const string DefaultSqliteConnectionString = "Data Source=industrydata.db";

    /// <summary>Registers <see cref="RunsDbContext"/> on the provider chosen by configuration.</summary>
    public static IHostApplicationBuilder AddRunStorage(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(StorageOptions.SectionName);
        builder.Services.Configure<StorageOptions>(section);
        var options = section.Get<StorageOptions>() ?? new StorageOptions();
        var connectionString = builder.Configuration.GetConnectionString(StorageOptions.ConnectionStringName);

        switch (options.Provider)
        {
            case StorageProvider.SqlServer:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        "Storage:Provider is SqlServer but ConnectionStrings:Runs is empty. Set it (e.g. env ConnectionStrings__Runs).");
                }

                builder.Services.AddDbContext<RunsDbContext, SqlServerRunsDbContext>(db => ConfigureSqlServer(db, connectionString));
                break;
            default:
                var sqlite = AnchorToContentRoot(connectionString ?? DefaultSqliteConnectionString, builder.Environment.ContentRootPath);
                builder.Services.AddDbContext<RunsDbContext, SqliteRunsDbContext>(db => ConfigureSqlite(db, sqlite));
                break;
        }

        builder.Services.AddSingleton<WriteGate>();
        builder.Services.AddSingleton<RunInsertQueue>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<RunInsertQueue>());
        builder.Services.AddHealthChecks()
            .AddCheck<RunsDatabaseHealthCheck>("database", HealthStatus.Unhealthy, [], options.HealthCheckTimeout);
        return builder;
    }

    /// <summary>A relative SQLite file is placed in the content root (Service/ under `dotnet run`), whatever the working directory.</summary>
    private static string AnchorToContentRoot(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && !file.StartsWith("file:", StringComparison.Ordinal) && !Path.IsPathRooted(file))
        {
            builder.DataSource = Path.Combine(contentRoot, file);
        }

        return builder.ToString();
    }

    public static DbContextOptionsBuilder ConfigureSqlite(DbContextOptionsBuilder db, string connectionString) =>
        db.UseSqlite(connectionString).AddInterceptors(new SqliteBusyTimeout());

    public static DbContextOptionsBuilder ConfigureSqlServer(DbContextOptionsBuilder db, string connectionString) =>
        db.UseSqlServer(connectionString, sql => sql.EnableRetryOnFailure(maxRetryCount: 5, maxRetryDelay: TimeSpan.FromSeconds(10), errorNumbersToAdd: null));
}
