using Microsoft.Data.Sqlite;

namespace IndustryData.OData.Tests.Reliability;

/// <summary>Direct looks at a service's SQLite file, taken while no service has it open.</summary>
public static class SqliteFile
{
    /// <summary>PRAGMA integrity_check: "ok", or the problems SQLite found.</summary>
    public static string IntegrityCheck(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadWrite;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join("\n", lines);
    }
}
