using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IndustryData.OData.Service.Storage;

/// <summary>
/// Whether the database has run out of storage (SQLite's "database or disk is full", SQL Server's full filegroup, log
/// or size quota): set when a write fails for lack of space, cleared by the next write that succeeds, so writes
/// work again as soon as an operator frees space, without a restart. /health reports it; the operator gets one log
/// line when it happens and one when it is over, not one per refused request.
/// </summary>
public sealed partial class StorageSpace(ILogger<StorageSpace> logger) : SaveChangesInterceptor
{
    private sealed record Shortage(DateTimeOffset Since, string Reason);

    private Shortage? shortage;

    /// <summary>When the current shortage began, or null while writes succeed.</summary>
    public DateTimeOffset? FullSince => Volatile.Read(ref shortage)?.Since;

    public void ReportFull(Exception exception)
    {
        var reason = exception.GetBaseException().Message;
        if (Interlocked.CompareExchange(ref shortage, new Shortage(DateTimeOffset.UtcNow, reason), null) is null)
        {
            LogFull(logger, reason);
        }
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        ReportWritten();
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ReportWritten();
        return ValueTask.FromResult(result);
    }

    /// <summary>A write succeeded (also one made outside SaveChanges, such as a group commit's multi-row insert).</summary>
    public void ReportWritten()
    {
        if (Volatile.Read(ref shortage) is not null && Interlocked.Exchange(ref shortage, null) is { } over)
        {
            LogSpaceBack(logger, (DateTimeOffset.UtcNow - over.Since).TotalSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Error,
        Message = "The runs database is out of storage ({Reason}): creates and updates are refused with 507 until space is freed (disk space, SQLite max_page_count, SQL Server file size or quota); reads go on. Writes resume on their own.")]
    private static partial void LogFull(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The runs database takes writes again after {Seconds:0} s out of storage")]
    private static partial void LogSpaceBack(ILogger logger, double seconds);
}
