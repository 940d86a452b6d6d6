using IndustryData.OData.Service.Querying;
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

                AddRunsDbContext<SqlServerRunsDbContext>(builder.Services, db => ConfigureSqlServer(db, connectionString), options => new SqlServerRunsDbContext(options));
                break;
            default:
                var sqlite = AnchorToContentRoot(connectionString ?? DefaultSqliteConnectionString, builder.Environment.ContentRootPath);
                AddRunsDbContext<SqliteRunsDbContext>(builder.Services, db => ConfigureSqlite(db, sqlite), options => new SqliteRunsDbContext(options));
                if (options.DirectReads)
                {
                    builder.Services.AddSingleton<SqliteRunReads>();
                }

                break;
        }

        builder.Services.AddSingleton<WriteGate>();
        builder.Services.AddSingleton<StorageSpace>();
        builder.Services.AddSingleton<RunInsertQueue>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<RunInsertQueue>());
        builder.Services.AddHealthChecks()
            .AddCheck<RunsDatabaseHealthCheck>("database", HealthStatus.Unhealthy, [], options.HealthCheckTimeout);
        return builder;
    }

    /// <summary>
    /// One <see cref="RunsDbContext"/> per scope, leased from a pool (creating a context and its EF services costs more
    /// than a by-key read), unless the scope is enlisted in a transaction (see <see cref="TransactionEnlistment"/>).
    /// </summary>
    private static void AddRunsDbContext<TContext>(IServiceCollection services, Action<DbContextOptionsBuilder> configure, Func<DbContextOptions<TContext>, TContext> create)
        where TContext : RunsDbContext
    {
        services.AddPooledDbContextFactory<TContext>((provider, db) => configure(db.AddInterceptors(provider.GetRequiredService<StorageSpace>(), new StatementBudgetClock())));
        services.AddScoped<TransactionEnlistment>();
        services.AddScoped<RunsDbContext>(provider =>
        {
            if (provider.GetRequiredService<TransactionEnlistment>().Transaction is not { } transaction)
            {
                return provider.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext();
            }

            var db = create(provider.GetRequiredService<DbContextOptions<TContext>>());
            db.Database.SetDbConnection(transaction.Connection, contextOwnsConnection: false);
            db.Database.UseTransaction(transaction);
            return db;
        });
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
        db.UseSqlite(connectionString).AddInterceptors(new SqliteBusyTimeout(), new SqliteODataFunctions(), new SqliteStatementInterrupt()).UseODataFunctions<SqliteODataFunctionTranslator>();

    public static DbContextOptionsBuilder ConfigureSqlServer(DbContextOptionsBuilder db, string connectionString) =>
        db.UseSqlServer(connectionString, sql => sql.EnableRetryOnFailure(maxRetryCount: 5, maxRetryDelay: TimeSpan.FromSeconds(10), errorNumbersToAdd: null))
            .AddInterceptors(SqlServerJsonMembers.Instance).UseODataFunctions<SqlServerODataFunctionTranslator>();
}
