using IndustryData.OData.Service.Storage;
using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Tests.Storage;

/// <summary>Each provider's migrations describe the current model (offline: compares the snapshot, opens nothing).</summary>
public class MigrationsInStepTests
{
    [Test]
    public void SqlServer_migrations_match_the_model()
    {
        using var db = OfflineSqlServer.CreateContext();

        Assert.That(db.Database.HasPendingModelChanges(), Is.False, "add a migration: dotnet ef migrations add <Name> --project Service --context SqlServerRunsDbContext --output-dir Storage/Migrations/SqlServer");
    }

    [Test]
    public void Sqlite_migrations_match_the_model()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);

        Assert.That(db.Database.HasPendingModelChanges(), Is.False, "add a migration: dotnet ef migrations add <Name> --project Service --context SqliteRunsDbContext --output-dir Storage/Migrations/Sqlite");
    }
}
