using System.Net;
using Microsoft.Data.Sqlite;

namespace IndustryData.OData.Bench.Scale;

/// <summary>
/// What keeping the search indexes exact costs a create: POST throughput at 32 connections with the runs_search /
/// runs_names triggers, without them, and with them again (the two "with" rounds averaged), against the same service.
/// The triggers are dropped and put back unchanged from sqlite_master; the index rows missed meanwhile do not matter to
/// a throwaway benchmark database.
/// </summary>
public static class SearchTriggerCost
{
    public static async Task<(double With, double Without)> MeasureAsync(ServiceUnderTest service, string database, TimeSpan duration)
    {
        var first = await CreatesAsync(service, duration);
        var triggers = SearchTriggers(database);
        Execute(database, string.Concat(triggers.Keys.Select(name => $"DROP TRIGGER {name};")));
        var without = await CreatesAsync(service, duration);
        Execute(database, string.Join(";\n", triggers.Values) + ";");
        var second = await CreatesAsync(service, duration);
        return ((first + second) / 2, without);
    }

    private static async Task<double> CreatesAsync(ServiceUnderTest service, TimeSpan duration)
    {
        var (perSecond, failures) = await Load.RunAsync(service.Client, 32, duration, Load.Create, HttpStatusCode.Created);
        return failures == 0 ? perSecond : throw new InvalidOperationException($"{failures} creates failed while measuring the search triggers.");
    }

    private static Dictionary<string, string> SearchTriggers(string database)
    {
        using var connection = Open(database);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND (name LIKE 'runs_search%' OR name LIKE 'runs_names%')";
        using var reader = command.ExecuteReader();
        var triggers = new Dictionary<string, string>();
        while (reader.Read())
        {
            triggers[reader.GetString(0)] = reader.GetString(1);
        }

        return triggers.Count > 0 ? triggers : throw new InvalidOperationException("No search triggers found: is the Search migration applied?");
    }

    private static void Execute(string database, string sql)
    {
        using var connection = Open(database);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 60;
        command.ExecuteNonQuery();
    }

    private static SqliteConnection Open(string database)
    {
        var connection = new SqliteConnection($"Data Source={database};Pooling=False;Default Timeout=60");
        connection.Open();
        return connection;
    }
}
