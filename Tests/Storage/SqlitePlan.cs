using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

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

    [GeneratedRegex(@"@\w+")]
    private static partial Regex ParameterName();
}
