using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;

namespace IndustryData.OData.Service.Storage;

/// <summary>
/// Recognises failures that mean "the database cannot serve us right now" rather than "this request is wrong" or
/// "the service has a bug": locks held past the timeout, a file that cannot be opened or read, lost connections,
/// exhausted retries. They are answered 503 with Retry-After, and the service recovers when the database does.
/// Storage that is full is told apart: retrying does not help until an operator frees space (507).
/// EF Core wraps provider exceptions (DbUpdateException, InvalidOperationException), so the whole chain is searched.
/// </summary>
public static class DatabaseFaults
{
    public const int RetryAfterSeconds = 5;

    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_CANTOPEN, SQLITE_PROTOCOL,
    // SQLITE_NOTADB: the file is locked, gone, unreadable or damaged. Extended codes share the primary code in their
    // low byte.
    private static readonly HashSet<int> SqliteCodes = [5, 6, 8, 10, 11, 14, 15, 26];

    // SQLITE_FULL: "database or disk is full" (no disk space, or the file reached max_page_count).
    private const int SqliteFull = 13;

    // No space for a page (1101) or an object (1105) in a filegroup, transaction log full (9002), Azure SQL size
    // quota reached (40544).
    private static readonly HashSet<int> SqlServerFullNumbers = [1101, 1105, 9002, 40544];

    // Timeouts, lost or refused connections, Azure SQL throttling and failover, deadlock victims.
    private static readonly HashSet<int> SqlServerNumbers =
        [-2, 2, 53, 64, 233, 1205, 4060, 10053, 10054, 10060, 10928, 10929, 40143, 40197, 40501, 40540, 40613, 49918, 49919, 49920];

    /// <summary>A primary key or unique index refused a row (SQLite SQLITE_CONSTRAINT_PRIMARYKEY/UNIQUE, SQL Server 2627/2601).</summary>
    public static bool IsUniqueViolation(Exception exception) => Any(exception, static current => current switch
    {
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 1555 or 2067,
        SqlException sql => sql.Errors.Cast<SqlError>().Any(error => error.Number is 2627 or 2601),
        _ => false,
    });

    public static bool IsUnavailable(Exception exception) => !IsStorageFull(exception) && Any(exception, static current => current switch
    {
        SqliteException sqlite => SqliteCodes.Contains(sqlite.SqliteErrorCode & 0xFF),
        SqlException sql => sql.Class >= 20 || sql.Errors.Cast<SqlError>().Any(error => SqlServerNumbers.Contains(error.Number)),
        RetryLimitExceededException or TimeoutException => true,
        _ => false,
    });

    /// <summary>The database has no room for the write: the caller cannot fix it and a retry will not help until space is freed.</summary>
    public static bool IsStorageFull(Exception exception) => Any(exception, static current => current switch
    {
        SqliteException sqlite => (sqlite.SqliteErrorCode & 0xFF) == SqliteFull,
        SqlException sql => sql.Errors.Cast<SqlError>().Any(error => SqlServerFullNumbers.Contains(error.Number)),
        _ => false,
    });

    private static bool Any(Exception exception, Func<Exception, bool> matches)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (matches(current))
            {
                return true;
            }
        }

        return false;
    }
}
