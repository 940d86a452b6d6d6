using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IndustryData.OData.Service.Storage;

/// <summary>
/// Sets SQLite's own busy handler to the connection's Default Timeout. Without it, a lock held by another process
/// on the same file is retried by Microsoft.Data.Sqlite every 150 ms; SQLite's handler retries within milliseconds
/// (1, 2, 5, 10 ms ... up to 100 ms between tries), so writers from several instances take turns far more tightly.
/// </summary>
public sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    // The timeout belongs to the native connection, which Microsoft.Data.Sqlite pools: set it once per handle, not on every open.
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> applied = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    /// <summary>Both waits at once: SQLite's handler and Microsoft.Data.Sqlite's retry loop for implicit commands (BEGIN).</summary>
    public static void Set(SqliteConnection connection, int seconds)
    {
        connection.DefaultTimeout = seconds;
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = " + (seconds * 1000L).ToString(CultureInfo.InvariantCulture) + ";";
        command.ExecuteNonQuery();
    }

    private void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle } sqlite && applied.TryAdd(handle, applied))
        {
            Set(sqlite, sqlite.DefaultTimeout);
        }
    }
}
