using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Async;
using IndustryData.OData.Service.Changes;
using IndustryData.OData.Service.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Service.Storage;

/// <summary>
/// The run store. Provider-specific subclasses (<see cref="SqliteRunsDbContext"/>, <see cref="SqlServerRunsDbContext"/>)
/// exist only so each provider has its own migrations; the model is the same.
/// </summary>
public abstract class RunsDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Run> Runs => Set<Run>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<RunTombstone> RunTombstones => Set<RunTombstone>();

    /// <summary>The runs of <typeparamref name="T"/> (every run for <see cref="Run"/>), read-only.</summary>
    public IQueryable<T> RunsOf<T>()
        where T : Run => typeof(T) == typeof(Run) ? (IQueryable<T>)Runs.AsNoTracking() : Runs.AsNoTracking().OfType<T>();

    public DbSet<ChangeTrackingState> ChangeTracking => Set<ChangeTrackingState>();

    public DbSet<SubscriptionRecord> Subscriptions => Set<SubscriptionRecord>();

    public DbSet<RunChange> RunChanges => Set<RunChange>();

    public DbSet<AsyncOperation> AsyncOperations => Set<AsyncOperation>();

    /// <summary>The ids of the runs a full-text query matches (<see cref="SearchIndexes.Words"/>); only inside a query.</summary>
    public IQueryable<SearchHit> SearchRuns(string query) => FromExpression(() => SearchRuns(query));

    /// <summary>The ids of the runs whose displayName the SQLite trigram query may match (<see cref="SearchIndexes.Trigrams"/>).</summary>
    public IQueryable<SearchHit> NameSubstrings(string query) => FromExpression(() => NameSubstrings(query));

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new RunConfiguration(Database.ProviderName));
        modelBuilder.ApplyConfiguration(new IdempotencyRecordConfiguration());
        ChangeTrackingConfiguration.Configure(modelBuilder, Database.IsSqlite());
        SubscriptionStorage.Configure(modelBuilder, Database.IsSqlite());
        AsyncOperationStorage.Configure(modelBuilder);
        Querying.JsonMemberAccess.Configure(modelBuilder, Database.IsSqlite());
        SearchIndexes.Configure(modelBuilder, Database.IsSqlite());
    }
}
