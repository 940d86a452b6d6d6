using System.Data.Common;

namespace IndustryData.OData.Service.Storage;

/// <summary>
/// Date-times as EF Core and Microsoft.Data.Sqlite store them on SQLite — text "yyyy-MM-dd HH:mm:ss" with up to seven
/// fraction digits after a '.', no zone — read by position instead of by DateTime.Parse's general lexer (which took
/// a fifth of a page's SQLite time). Any other text or storage class is read by the reader's own GetDateTime, so the
/// result is always the one EF Core would get (<c>SqliteDateTextTests</c>).
/// </summary>
internal static class SqliteDateText
{
    private static readonly int[] FractionScale = [1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];

    public static DateTime Read(DbDataReader reader, int ordinal) =>
        TryParse(reader.GetString(ordinal), out var value) ? value : reader.GetDateTime(ordinal);

    public static bool TryParse(ReadOnlySpan<char> text, out DateTime value)
    {
        value = default;
        if (text.Length is not (19 or (>= 21 and <= 27)) || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' || text[16] != ':'
            || (text.Length > 19 && text[19] != '.'))
        {
            return false;
        }

        if (!Digits(text[..4], out var year) || !Digits(text.Slice(5, 2), out var month) || !Digits(text.Slice(8, 2), out var day)
            || !Digits(text.Slice(11, 2), out var hour) || !Digits(text.Slice(14, 2), out var minute) || !Digits(text.Slice(17, 2), out var second))
        {
            return false;
        }

        var fraction = 0;
        if (text.Length > 19)
        {
            if (!Digits(text[20..], out fraction))
            {
                return false;
            }

            fraction *= FractionScale[text.Length - 21];
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fraction);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
