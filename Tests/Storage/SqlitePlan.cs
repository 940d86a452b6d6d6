using System.Text.RegularExpressions;
using IndustryData.OData.Service.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Tests.Storage;

/// <summary>
/// EXPLAIN QUERY PLAN of a statement the service sent, its parameters bound to null (plans do not depend on values), or
/// to <c>value</c> where a null would let SQLite see a term as never true and plan around it.
/// </summary>
public static partial class SqlitePlan
{
    /// <summary>The plan's lines (the "detail" column), in order.</summary>
    public static async Task<List<string>> ExplainAsync(SqliteConnection connection, string statement, object? value = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + statement;
        foreach (var name in ParameterName().Matches(statement).Select(match => match.Value).Distinct())
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(3));
        }

        return lines;
    }

    /// <summary>The plan of the one statement <paramref name="send"/> sends through the service's SQLite context (captured, not run).</summary>
    public static async Task<List<string>> OfAsync(string connectionString, Func<RunsDbContext, Task> send)
    {
        var captured = new CapturedSql();
        var options = new DbContextOptionsBuilder<SqliteRunsDbContext>();
        StorageServiceCollectionExtensions.ConfigureSqlite(options, connectionString);
        options.AddInterceptors(captured);
        await using (var db = new SqliteRunsDbContext(options.Options))
        {
            Assert.ThrowsAsync<OfflineCommandException>(() => send(db));
        }

        var query = captured.Commands.Single();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        return await ExplainAsync(connection, query);
    }

    [GeneratedRegex(@"@\w+")]
    private static partial Regex ParameterName();
}
