using System.Diagnostics;
using IndustryData.OData.Service.Storage;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;

namespace IndustryData.OData.Tests.Storage;

public class StartupRetryTests
{
    [Test]
    public async Task Any_SqlException_however_wrapped_is_worth_another_try()
    {
        var sqlException = await RealSqlExceptionAsync();

        Assert.Multiple(() =>
        {
            Assert.That(StorageStartup.IsTransient(sqlException), Is.True);
            Assert.That(StorageStartup.IsTransient(new RetryLimitExceededException("gave up", sqlException)), Is.True);
            Assert.That(StorageStartup.IsTransient(new InvalidOperationException("outer", new AggregateException(sqlException))), Is.True);
            Assert.That(StorageStartup.IsTransient(new TimeoutException()), Is.True);
        });
    }

    [Test]
    public void Configuration_and_schema_mistakes_fail_at_once()
    {
        Assert.Multiple(() =>
        {
            Assert.That(StorageStartup.IsTransient(new NotSupportedException("Globalization Invariant Mode is not supported.")), Is.False);
            Assert.That(StorageStartup.IsTransient(new ArgumentException("Keyword not supported: 'sever'.")), Is.False);
            Assert.That(StorageStartup.IsTransient(new SqliteException("SQLite Error 1: 'no such table'.", 1)), Is.False);
            Assert.That(StorageStartup.IsTransient(new InvalidOperationException("outer", new NotSupportedException())), Is.False);
        });
    }

    [Test]
    public async Task Start_up_keeps_trying_an_unreachable_server_for_the_window_then_gives_up()
    {
        var window = TimeSpan.FromSeconds(3);
        await using var database = new UnreachableSqlServer();
        await using var host = new ServiceHost(database, new Dictionary<string, string?> { ["Storage:StartupRetryWindow"] = window.ToString() });
        var clock = Stopwatch.StartNew();

        var exception = Assert.Catch(() => host.CreateClient().Dispose());

        Assert.Multiple(() =>
        {
            Assert.That(StorageStartup.IsTransient(exception!), Is.True, exception!.ToString());
            Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(window));
        });
    }

    private static async Task<SqlException> RealSqlExceptionAsync()
    {
        await using var database = new UnreachableSqlServer();
        await using var connection = new SqlConnection(database.ConnectionString);
        return Assert.ThrowsAsync<SqlException>(() => connection.OpenAsync())!;
    }
}
