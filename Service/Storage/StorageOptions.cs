namespace IndustryData.OData.Service.Storage;

/// <summary>Bound from the "Storage" section; the connection string is ConnectionStrings:Runs.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";
    public const string ConnectionStringName = "Runs";

    /// <summary><c>Sqlite</c> (default, embedded) or <c>SqlServer</c>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Apply pending EF migrations when the service starts.</summary>
    public bool ApplyMigrationsOnStartup { get; set; } = true;

    /// <summary>How long start-up keeps retrying while the database is not reachable yet.</summary>
    public TimeSpan StartupRetryWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long GET /health waits for the database before it reports the service unhealthy.</summary>
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a write (create, update, delete, $batch) waits for its turn among this process's writers on SQLite
    /// before it is answered 503 with Retry-After, having changed nothing.
    /// </summary>
    public TimeSpan WriteTurnTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// SQLite only: answer reads by key and the list's plain first pages with prepared statements on open connections
    /// (<see cref="SqliteRunReads"/>) instead of through EF Core. False sends every read through EF Core.
    /// </summary>
    public bool DirectReads { get; set; } = true;
}

public enum StorageProvider
{
    Sqlite,
    SqlServer,
}
