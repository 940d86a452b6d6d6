using Microsoft.EntityFrameworkCore;

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
                builder.Services.AddDbContext<RunsDbContext, SqliteRunsDbContext>(db => ConfigureSqlite(db, connectionString ?? DefaultSqliteConnectionString));
                break;
        }

        builder.Services.AddHealthChecks().AddDbContextCheck<RunsDbContext>("database");
        return builder;
    }

    public static DbContextOptionsBuilder ConfigureSqlite(DbContextOptionsBuilder db, string connectionString) =>
        db.UseSqlite(connectionString);

    public static DbContextOptionsBuilder ConfigureSqlServer(DbContextOptionsBuilder db, string connectionString) =>
        db.UseSqlServer(connectionString, sql => sql.EnableRetryOnFailure(maxRetryCount: 5, maxRetryDelay: TimeSpan.FromSeconds(10), errorNumbersToAdd: null));
}
