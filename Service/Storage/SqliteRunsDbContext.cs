using IndustryData.OData.Model.Runs;
using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Service.Storage;

public sealed class SqliteRunsDbContext(DbContextOptions<SqliteRunsDbContext> options) : RunsDbContext(options)
{
    /// <summary>The version of a run as inserted.</summary>
    public const long FirstVersion = 1;

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>SQLite has no rowversion, so every insert or update gets the next version here.</summary>
    private void StampVersions()
    {
        foreach (var entry in ChangeTracker.Entries<Run>())
        {
            if (entry.State == EntityState.Added)
            {
                entry.Entity.Version = FirstVersion;
            }
            else if (entry.State == EntityState.Modified)
            {
                entry.Entity.Version = entry.OriginalValues.GetValue<long>(nameof(Run.Version)) + 1;
            }
        }
    }
}
