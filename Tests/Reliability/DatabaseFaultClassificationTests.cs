using IndustryData.OData.Service.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace IndustryData.OData.Tests.Reliability;

/// <summary>Which failures count as "database unavailable" (503) or "storage full" (507), and which stay bugs (500) or client errors.</summary>
public class DatabaseFaultClassificationTests
{
    private static IEnumerable<TestCaseData> Unavailable()
    {
        yield return new TestCaseData(new SqliteException("database is locked", 5)).SetName("SQLITE_BUSY");
        yield return new TestCaseData(new SqliteException("database table is locked", 6)).SetName("SQLITE_LOCKED");
        yield return new TestCaseData(new SqliteException("disk I/O error", 10, 10 | (4 << 8))).SetName("SQLITE_IOERR_SHORT_READ");
        yield return new TestCaseData(new SqliteException("unable to open database file", 14)).SetName("SQLITE_CANTOPEN");
        yield return new TestCaseData(new SqliteException("file is not a database", 26)).SetName("SQLITE_NOTADB");
        yield return new TestCaseData(new DbUpdateException("wrapped", new SqliteException("database is locked", 5))).SetName("DbUpdateException wrapping SQLITE_BUSY");
        yield return new TestCaseData(new InvalidOperationException("transient", new TimeoutException())).SetName("TimeoutException wrapped");
        yield return new TestCaseData(new RetryLimitExceededException("retries exhausted", new InvalidOperationException())).SetName("RetryLimitExceededException");
        yield return new TestCaseData(new TimeoutException()).SetName("TimeoutException");
    }

    private static IEnumerable<TestCaseData> NotUnavailable()
    {
        yield return new TestCaseData(new SqliteException("UNIQUE constraint failed", 19)).SetName("SQLITE_CONSTRAINT");
        yield return new TestCaseData(new SqliteException("no such column", 1)).SetName("SQLITE_ERROR");
        yield return new TestCaseData(new DbUpdateException("wrapped", new SqliteException("NOT NULL constraint failed", 19))).SetName("DbUpdateException wrapping a constraint");
        yield return new TestCaseData(new InvalidOperationException("a bug")).SetName("InvalidOperationException");
        yield return new TestCaseData(new NullReferenceException()).SetName("NullReferenceException");
        yield return new TestCaseData(new SqliteException("database or disk is full", 13)).SetName("SQLITE_FULL is not unavailable");
    }

    private static IEnumerable<TestCaseData> StorageFull()
    {
        yield return new TestCaseData(new SqliteException("database or disk is full", 13)).SetName("SQLITE_FULL");
        yield return new TestCaseData(new DbUpdateException("wrapped", new SqliteException("database or disk is full", 13))).SetName("DbUpdateException wrapping SQLITE_FULL");
        yield return new TestCaseData(new InvalidOperationException("commit", new SqliteException("database or disk is full", 13))).SetName("SQLITE_FULL at commit, wrapped");
    }

    private static IEnumerable<TestCaseData> NotStorageFull()
    {
        yield return new TestCaseData(new SqliteException("database is locked", 5)).SetName("SQLITE_BUSY is not full");
        yield return new TestCaseData(new SqliteException("disk I/O error", 10)).SetName("SQLITE_IOERR is not full");
        yield return new TestCaseData(new TimeoutException()).SetName("TimeoutException is not full");
        yield return new TestCaseData(new InvalidOperationException("a bug")).SetName("InvalidOperationException is not full");
    }

    [TestCaseSource(nameof(Unavailable))]
    public void Is_unavailable(Exception exception) => Assert.That(DatabaseFaults.IsUnavailable(exception), Is.True);

    [TestCaseSource(nameof(NotUnavailable))]
    public void Is_not_unavailable(Exception exception) => Assert.That(DatabaseFaults.IsUnavailable(exception), Is.False);

    [TestCaseSource(nameof(StorageFull))]
    public void Is_storage_full(Exception exception) => Assert.That(DatabaseFaults.IsStorageFull(exception), Is.True);

    [TestCaseSource(nameof(NotStorageFull))]
    public void Is_not_storage_full(Exception exception) => Assert.That(DatabaseFaults.IsStorageFull(exception), Is.False);
}
