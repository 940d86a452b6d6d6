using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace IndustryData.OData.Bench.Scale;

/// <summary>SQLite's plan for each SQL command the service logged (JSON console lines of EF Core's command log).</summary>
public static partial class Plans
{
    public static IReadOnlyList<string> CommandsIn(IEnumerable<string> logLines)
    {
        var commands = new List<string>();
        foreach (var line in logLines.Where(line => line.StartsWith('{')))
        {
            using var entry = JsonDocument.Parse(line);
            if (entry.RootElement.TryGetProperty("State", out var state) && state.TryGetProperty("commandText", out var text)
                && text.GetString() is { } sql && sql.Contains("FROM \"runs\"", StringComparison.Ordinal))
            {
                commands.Add(sql);
            }
        }

        return commands;
    }

    public static IReadOnlyList<string> Explain(string databaseFile, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in Parameter().Matches(sql).Select(match => match.Value).Distinct())
        {
            command.Parameters.AddWithValue(name, DBNull.Value);
        }

        var lines = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            lines.Add(reader.GetString(3));
        }

        return lines;
    }

    [GeneratedRegex(@"@\w+")]
    private static partial Regex Parameter();
}
