using System.Globalization;
using System.Text.RegularExpressions;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// OData's canonical functions with the semantics of OData URL Conventions §5.1.1.5–5.1.1.12, as .NET methods.
/// The filter binder builds expressions calling these; each provider's <see cref="ODataFunctionTranslatorPlugin"/>
/// turns a call on a column into SQL, and EF Core evaluates a call on constants right here (so literals follow exactly
/// these rules). SQLite runs the ones it has no exact built-in for through the same code (<see cref="SqliteODataFunctions"/>).
/// A null argument gives null, as OData says. Durations travel as ticks (100 ns) so both databases do exact integer arithmetic.
/// </summary>
public static class ODataFunctions
{
    public const long TicksPerSecond = TimeSpan.TicksPerSecond;

    /// <summary>How long one regular-expression match may run before the query is refused.</summary>
    public static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>contains, startswith and endswith are conditions, so false (not null) for a null argument: the filter keeps only runs where they are true.</summary>
    public static bool Contains(string? text, string? part) => text is not null && part is not null && text.Contains(part, StringComparison.Ordinal);

    public static bool StartsWith(string? text, string? prefix) => text is not null && prefix is not null && text.StartsWith(prefix, StringComparison.Ordinal);

    public static bool EndsWith(string? text, string? suffix) => text is not null && suffix is not null && text.EndsWith(suffix, StringComparison.Ordinal);

    public static int? Length(string? text) => text?.Length;

    /// <summary>Zero-based position of the first occurrence, -1 when absent.</summary>
    public static int? IndexOf(string? text, string? value) =>
        text is null || value is null ? null : text.IndexOf(value, StringComparison.Ordinal);

    /// <summary>
    /// From the zero-based <paramref name="start"/> to the end; past the end is empty. A negative start (4.01) counts
    /// from the end ('abc',-1 → 'c'); one before the beginning starts at the beginning.
    /// </summary>
    public static string? Substring(string? text, int? start) =>
        text is null || start is null ? null : text[StartIndex(text, start.Value)..];

    /// <summary>Up to <paramref name="length"/> characters from <paramref name="start"/>; a negative length is null (a literal one is a 400 before this).</summary>
    public static string? Substring(string? text, int? start, int? length)
    {
        if (text is null || start is null || length is not >= 0)
        {
            return null;
        }

        var from = StartIndex(text, start.Value);
        return text.Substring(from, Math.Min(length.Value, text.Length - from));
    }

    public static string? ToLower(string? text) => text?.ToLowerInvariant();

    public static string? ToUpper(string? text) => text?.ToUpperInvariant();

    /// <summary>Leading and trailing white space by Unicode's definition (char.IsWhiteSpace).</summary>
    public static string? Trim(string? text) => text?.Trim();

    public static string? Concat(string? first, string? second) => first is null || second is null ? null : first + second;

    /// <summary>An ECMAScript regular expression, with the flags i, m and g (g changes nothing for a test).</summary>
    public static bool? MatchesPattern(string? text, string? pattern, string? flags) =>
        text is null || pattern is null || flags is null ? null : Pattern(pattern, flags).IsMatch(text);

    public static bool? MatchesPattern(string? text, string? pattern) => MatchesPattern(text, pattern, string.Empty);

    /// <summary>The .NET regular expression for an ECMAScript pattern and flags; <see cref="ArgumentException"/> if either is not valid.</summary>
    public static Regex Pattern(string pattern, string flags)
    {
        var options = RegexOptions.ECMAScript | RegexOptions.CultureInvariant;
        foreach (var flag in flags)
        {
            options |= flag switch
            {
                'i' => RegexOptions.IgnoreCase,
                'm' => RegexOptions.Multiline,
                'g' => RegexOptions.None,
                _ => throw new ArgumentException($"'{flag}' is not a supported regular-expression flag (supported: i, m, g).", nameof(flags)),
            };
        }

        return new Regex(pattern, options, PatternTimeout);
    }

    public static int? Year(DateTimeOffset? value) => value?.Year;

    public static int? Month(DateTimeOffset? value) => value?.Month;

    public static int? Day(DateTimeOffset? value) => value?.Day;

    public static int? Hour(DateTimeOffset? value) => value?.Hour;

    public static int? Minute(DateTimeOffset? value) => value?.Minute;

    public static int? Second(DateTimeOffset? value) => value?.Second;

    /// <summary>The fraction of the second, 0 ≤ f &lt; 1, to the 100 ns the service stores.</summary>
    public static decimal? FractionalSeconds(DateTimeOffset? value) =>
        value is null ? null : (decimal)(value.Value.Ticks % TicksPerSecond) / TicksPerSecond;

    public static DateOnly? Date(DateTimeOffset? value) => value is null ? null : DateOnly.FromDateTime(value.Value.DateTime);

    public static TimeOnly? Time(DateTimeOffset? value) => value is null ? null : TimeOnly.FromTimeSpan(value.Value.TimeOfDay);

    public static int? TotalOffsetMinutes(DateTimeOffset? value) => value is null ? null : (int)value.Value.Offset.TotalMinutes;

    /// <summary><c>a sub b</c> for two date-times: a duration, in ticks.</summary>
    public static long? TicksBetween(DateTimeOffset? later, DateTimeOffset? earlier) =>
        later is null || earlier is null ? null : (later.Value - earlier.Value).Ticks;

    /// <summary>The error of date-time arithmetic past the years 1–9999 (the request fails, as on SQL Server).</summary>
    public const string OutOfRange = "OData date-time arithmetic went outside the years 1-9999";

    /// <summary><c>a add d</c> for a date-time and a duration in ticks; an <see cref="OverflowException"/> past the representable range.</summary>
    public static DateTimeOffset? AddTicks(DateTimeOffset? value, long? ticks)
    {
        if (value is null || ticks is null)
        {
            return null;
        }

        var utcTicks = value.Value.UtcTicks;
        return ticks.Value > DateTimeOffset.MaxValue.UtcTicks - utcTicks || ticks.Value < -utcTicks
            ? throw new OverflowException(OutOfRange)
            : value.Value.AddTicks(ticks.Value);
    }

    /// <summary>-1, 0 or 1; null if either is null. Decimal comparisons go through this: SQLite stores decimals as text.</summary>
    public static int? CompareDecimal(decimal? left, decimal? right) => left is null || right is null ? null : left.Value.CompareTo(right.Value);

    public static decimal? TotalSeconds(long? ticks) => ticks is null ? null : (decimal)ticks.Value / TicksPerSecond;

    /// <summary>Midpoints away from zero (OData: round(0.5) = 1, round(-0.5) = -1), unlike .NET's default.</summary>
    public static decimal? Round(decimal? value) => value is null ? null : Math.Round(value.Value, MidpointRounding.AwayFromZero);

    public static double? Round(double? value) => value is null ? null : Math.Round(value.Value, MidpointRounding.AwayFromZero);

    public static decimal? Floor(decimal? value) => value is null ? null : Math.Floor(value.Value);

    public static double? Floor(double? value) => value is null ? null : Math.Floor(value.Value);

    public static decimal? Ceiling(decimal? value) => value is null ? null : Math.Ceiling(value.Value);

    public static double? Ceiling(double? value) => value is null ? null : Math.Ceiling(value.Value);

    /// <summary>Text as SQLite stores a UTC date-time (EF Core's format), read back; null if it is not one.</summary>
    public static DateTimeOffset? ParseStored(string? stored) =>
        stored is not null && DateTime.TryParse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value)
            ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc))
            : null;

    /// <summary>A UTC date-time as SQLite stores it (EF Core's format), so results compare with stored values as text.</summary>
    public static string FormatStored(DateTimeOffset value) =>
        value.UtcDateTime.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private static int StartIndex(string text, int start) => start >= 0 ? Math.Min(start, text.Length) : Math.Max(text.Length + start, 0);
}
