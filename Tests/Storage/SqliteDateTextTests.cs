using IndustryData.OData.Service.Storage;
using Microsoft.Data.Sqlite;

namespace IndustryData.OData.Tests.Storage;

/// <summary>The direct reads parse stored date-times by position (<see cref="SqliteDateText"/>): every value must come back as Microsoft.Data.Sqlite's GetDateTime reads it, or fail as it fails.</summary>
public sealed class SqliteDateTextTests
{
    private static readonly DateTime[] Written =
    [
        new(2026, 1, 31, 9, 30, 0), new DateTime(2026, 1, 31, 9, 30, 0).AddTicks(1), new DateTime(2026, 1, 31, 9, 30, 0).AddTicks(1_234_567),
        new DateTime(2026, 12, 31, 23, 59, 59).AddTicks(9_999_999), new DateTime(2024, 2, 29, 0, 0, 0).AddTicks(5_000_000), new(1, 1, 1, 0, 0, 0),
        DateTime.MaxValue, new DateTime(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc).AddTicks(10), new DateTime(2026, 6, 1, 12, 0, 0).AddTicks(120_000),
    ];

    private static readonly object[] StoredOtherwise =
    [
        "2026-01-31T09:30:00", "2026-01-31 09:30:00Z", "2026-01-31 09:30:00+02:00", "2026-01-31 09:30:00.", "2026-01-31 09:30:00.12345678",
        "2026-02-30 00:00:00", "2026-13-01 00:00:00", "2026-01-31 24:00:00", "2026-01-31 09:60:00", "2026-01-31 09:30:60", "0000-01-01 00:00:00",
        "2026-01-31 09:30", "2026-1-31 09:30:00", "２０２６-01-31 09:30:00", " 2026-01-31 09:30:00", "2026-01-31 09:30:00 ", "2026-01-31", "not a date",
        2461000.5, 2461000L, "2026-01-31 09:30:00.-12345",
    ];

    [Test]
    public void Every_stored_value_reads_as_GetDateTime_reads_it()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t (n INTEGER PRIMARY KEY, v)";
            create.ExecuteNonQuery();
        }

        foreach (var value in Written.Cast<object>().Concat(StoredOtherwise))
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO t (v) VALUES ($v)";
            insert.Parameters.AddWithValue("$v", value);
            insert.ExecuteNonQuery();
        }

        using var select = connection.CreateCommand();
        select.CommandText = "SELECT v, typeof(v), CAST(v AS TEXT) FROM t ORDER BY n";
        using var reader = select.ExecuteReader();
        var fastPathTaken = 0;
        while (reader.Read())
        {
            var stored = $"{reader.GetString(2)} ({reader.GetString(1)})";
            var expected = Outcome(() => reader.GetDateTime(0));
            var actual = Outcome(() => SqliteDateText.Read(reader, 0));
            Assert.That(actual, Is.EqualTo(expected), stored);
            fastPathTaken += reader.GetString(1) == "text" && SqliteDateText.TryParse(reader.GetString(0), out _) ? 1 : 0;
        }

        Assert.That(fastPathTaken, Is.EqualTo(Written.Length), "every value written through a DateTime parameter is parsed by position");
    }

    private static string Outcome(Func<DateTime> read)
    {
        try
        {
            var value = read();
            return $"{value:O} {value.Kind}";
        }
        catch (Exception exception)
        {
            return exception.GetType().Name;
        }
    }
}
