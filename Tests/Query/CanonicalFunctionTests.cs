using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;
using Row = IndustryData.OData.Tests.Query.FunctionRuns.Row;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// Every canonical function, operator and literal form the service evaluates, on both providers, against what .NET
/// computes from the seeded values (<see cref="FunctionRuns"/>). Text needles are chosen so that SQL Server's
/// case-insensitive collation gives the same rows (docs/sqlserver.md, "Provider parity").
/// </summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class CanonicalFunctionTests(TestProvider provider) : ApiFixture(provider)
{
    private static readonly DateTimeOffset Midnight2026 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly (string Filter, Func<Row, bool> Expected)[] Cases =
    [
        // String functions (§5.1.1.7)
        ("length(displayName) eq 12", r => r.DisplayName.Length == 12),
        ("length(displayName) ge 15", r => r.DisplayName.Length >= 15),
        ("indexof(displayName,'port') eq 8", r => r.DisplayName.IndexOf("port", StringComparison.Ordinal) == 8),
        ("indexof(displayName,'zz') eq -1", r => !r.DisplayName.Contains("zz", StringComparison.Ordinal)),
        ("indexof(displayName,'') eq 0", r => true),
        ("substring(displayName,6) eq 'export'", r => r.DisplayName.Length >= 6 && r.DisplayName[6..] == "export"),
        ("substring(displayName,1,4) eq 'lpha'", r => r.DisplayName.Length >= 5 && r.DisplayName.Substring(1, 4) == "lpha"),
        ("substring(displayName,100) eq ''", r => true),
        ("substring(displayName,-2) eq '42'", r => r.DisplayName.EndsWith("42", StringComparison.Ordinal)),
        ("substring(displayName,-6) eq 'import'", r => r.DisplayName.EndsWith("import", StringComparison.Ordinal)),
        ("substring(displayName,-100,3) eq 'Alp'", r => r.DisplayName.StartsWith("Alp", StringComparison.Ordinal)),
        ("substring(displayName,-5,2) eq 'IM'", r => r.DisplayName.Length >= 5 && r.DisplayName.Substring(r.DisplayName.Length - 5, 2) == "IM"),
        ("tolower(displayName) eq 'élan éxport'", r => r.DisplayName.ToLowerInvariant() == "élan éxport"),
        ("toupper(displayName) eq 'ALPHA EXPORT'", r => r.DisplayName.ToUpperInvariant() == "ALPHA EXPORT"),
        ("trim(displayName) eq 'Bravo import'", r => r.DisplayName.Trim() == "Bravo import"),
        ("trim(displayName) ne displayName", r => r.DisplayName.Trim() != r.DisplayName),
        ("concat(concat(displayName,'/'),'x') eq 'Echo/x'", r => r.DisplayName + "/x" == "Echo/x"),
        ("concat(displayName,null) eq null", r => true),
        ("startswith(tolower(displayName),'d')", r => r.DisplayName.ToLowerInvariant().StartsWith('d')),
        ("startswith(displayName,'100%_[')", r => r.DisplayName.StartsWith("100%_[", StringComparison.Ordinal)),
        ("startswith(displayName,'10_')", r => r.DisplayName.StartsWith("10_", StringComparison.Ordinal)),
        ("endswith(displayName,'[sale]') or endswith(displayName,'42')", r => r.DisplayName.EndsWith("[sale]", StringComparison.Ordinal) || r.DisplayName.EndsWith("42", StringComparison.Ordinal)),
        ("endswith(displayName,'%')", r => r.DisplayName.EndsWith('%')),
        ("contains(displayName,'%_[')", r => r.DisplayName.Contains("%_[", StringComparison.Ordinal)),
        ("contains(displayName,'0_')", r => r.DisplayName.Contains("0_", StringComparison.Ordinal)),
        ("contains(trim(null),'b') eq false", r => true),
        ("not startswith(displayName,'Al') and not endswith(displayName,'import')", r => !r.DisplayName.StartsWith("Al", StringComparison.Ordinal) && !r.DisplayName.EndsWith("import", StringComparison.Ordinal)),
        ("contains(toupper(displayName),'ÉXP')", r => r.DisplayName.ToUpperInvariant().Contains("ÉXP", StringComparison.Ordinal)),

        // Date and time functions (§5.1.1.8) on UTC values
        ("year(startDateTime) eq 2026", r => r.Start.Year == 2026),
        ("year(startDateTime) lt 2026", r => r.Start.Year < 2026),
        ("year(startDateTime) ne 2026", r => r.Start.Year != 2026),
        ("year(endDateTime) ne 2026", r => r.End?.Year != 2026),
        ("year(startDateTime) ge 2025 and year(startDateTime) le 2025", r => r.Start.Year == 2025),
        ("month(startDateTime) eq 2", r => r.Start.Month == 2),
        ("day(startDateTime) eq 29", r => r.Start.Day == 29),
        ("hour(startDateTime) eq 23", r => r.Start.Hour == 23),
        ("minute(startDateTime) eq 45", r => r.Start.Minute == 45),
        ("second(startDateTime) eq 30", r => r.Start.Second == 30),
        ("second(endDateTime) eq 0 and hour(endDateTime) gt 0", r => r.End is { Second: 0, Hour: > 0 }),
        ("fractionalseconds(startDateTime) eq 0.25", r => r.Start.Ticks % TimeSpan.TicksPerSecond == 2_500_000),
        ("fractionalseconds(startDateTime) eq 0.1234567", r => r.Start.Ticks % TimeSpan.TicksPerSecond == 1_234_567),
        ("fractionalseconds(startDateTime) gt 0.9", r => r.Start.Ticks % TimeSpan.TicksPerSecond > 9_000_000),
        ("fractionalseconds(endDateTime) eq null", r => r.End is null),
        ("fractionalseconds(startDateTime) eq 0.250", r => r.Start.Ticks % TimeSpan.TicksPerSecond == 2_500_000),
        ("date(startDateTime) eq 2024-02-29", r => DateOnly.FromDateTime(r.Start.UtcDateTime) == new DateOnly(2024, 2, 29)),
        ("date(startDateTime) gt 2026-01-31", r => DateOnly.FromDateTime(r.Start.UtcDateTime) > new DateOnly(2026, 1, 31)),
        ("date(startDateTime) le 2025-12-31", r => DateOnly.FromDateTime(r.Start.UtcDateTime) <= new DateOnly(2025, 12, 31)),
        ("date(endDateTime) ne 2026-01-01", r => r.End is not { } end || DateOnly.FromDateTime(end.UtcDateTime) != new DateOnly(2026, 1, 1)),
        ("date(endDateTime) eq date(startDateTime)", r => r.End is { } end && DateOnly.FromDateTime(end.UtcDateTime) == DateOnly.FromDateTime(r.Start.UtcDateTime)),
        ("year(date(startDateTime)) eq 2024", r => r.Start.Year == 2024),
        ("date(startDateTime) in (2024-02-29,2026-01-01)", r => r.Start.UtcDateTime.Date == new DateTime(2024, 2, 29) || r.Start.UtcDateTime.Date == new DateTime(2026, 1, 1)),
        ("time(startDateTime) in (00:00:00,13:45:30.25)", r => r.Start.TimeOfDay == TimeSpan.Zero || r.Start.TimeOfDay == new TimeSpan(0, 13, 45, 30, 250)),
        ("year(startDateTime) in (2024,2025)", r => r.Start.Year is 2024 or 2025),
        ("month(startDateTime) mod 2 eq 0 and hour(endDateTime) sub hour(startDateTime) ge 0", r => r.Start.Month % 2 == 0 && r.End?.Hour - r.Start.Hour >= 0),
        ("time(startDateTime) eq 13:45:30.25", r => r.Start.TimeOfDay == new TimeSpan(0, 13, 45, 30, 250)),
        ("time(startDateTime) lt 01:00:00", r => r.Start.TimeOfDay < TimeSpan.FromHours(1)),
        ("time(startDateTime) gt 23:30:00", r => r.Start.TimeOfDay > new TimeSpan(23, 30, 0)),
        ("totaloffsetminutes(startDateTime) eq 0", r => true),
        ("totaloffsetminutes(endDateTime) eq 0", r => r.End is not null),
        ("year(startDateTime) eq 2026 and month(startDateTime) eq 1", r => r.Start is { Year: 2026, Month: 1 }),
        ("month(startDateTime) eq 1 and year(startDateTime) eq 2026 and day(startDateTime) eq 31", r => r.Start is { Year: 2026, Month: 1, Day: 31 }),
        ("year(startDateTime) eq 2026 and month(startDateTime) eq 1 and status eq 'completed'", r => r.Start is { Year: 2026, Month: 1 } && r.Status == "completed"),
        ("year(startDateTime) eq 2024 and month(startDateTime) eq 2 and day(startDateTime) eq 30", r => false),
        ("year(startDateTime) eq 2026 and month(startDateTime) eq 13", r => false),
        ("2026 eq year(startDateTime) and 2 eq month(startDateTime)", r => r.Start is { Year: 2026, Month: 2 }),
        ("2026-01-31 lt date(startDateTime)", r => DateOnly.FromDateTime(r.Start.UtcDateTime) > new DateOnly(2026, 1, 31)),
        ("year(endDateTime) eq 2026 and month(endDateTime) eq 1 or endDateTime eq null", r => r.End is null || r.End is { Year: 2026, Month: 1 }),
        ("startDateTime ge 2026-02-01", r => r.Start >= new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)),
        ("startDateTime lt 2026-01-01", r => r.Start < Midnight2026),
        ("now() gt startDateTime", r => DateTimeOffset.UtcNow > r.Start),
        ("startDateTime gt mindatetime() and startDateTime lt maxdatetime()", r => true),

        // Date-time and duration arithmetic (§5.1.1.2), duration literals with and without the prefix (§5.1.1.13)
        ("endDateTime sub startDateTime gt duration'PT1H'", r => r.End - r.Start > TimeSpan.FromHours(1)),
        ("endDateTime sub startDateTime eq duration'PT0.0000001S'", r => r.End - r.Start == TimeSpan.FromTicks(1)),
        ("endDateTime sub startDateTime eq PT1H", r => r.End - r.Start == TimeSpan.FromHours(1)),
        ("endDateTime sub startDateTime le P1DT2H", r => r.End - r.Start <= new TimeSpan(1, 2, 0, 0)),
        ("startDateTime add duration'P1D' lt 2026-01-01T00:00:00Z", r => r.Start.AddDays(1) < Midnight2026),
        ("startDateTime sub duration'PT23H' ge 2026-01-31T00:00:00Z", r => r.Start.AddHours(-23) >= new DateTimeOffset(2026, 1, 31, 0, 0, 0, TimeSpan.Zero)),
        ("startDateTime add -PT1S lt 2024-02-29T12:00:00Z", r => r.Start.AddSeconds(-1) < new DateTimeOffset(2024, 2, 29, 12, 0, 0, TimeSpan.Zero)),
        ("totalseconds(endDateTime sub startDateTime) eq 0.5000001", r => r.End - r.Start == TimeSpan.FromTicks(5_000_001)),
        ("totalseconds(endDateTime sub startDateTime) gt 3600", r => (r.End - r.Start)?.TotalSeconds > 3600),
        ("-(endDateTime sub startDateTime) lt duration'-PT1H'", r => r.End - r.Start > TimeSpan.FromHours(1)),
        ("duration'PT1H' add duration'PT30M' eq duration'PT90M'", r => true),

        // Arithmetic (§5.1.1.2, 4.01 divby) and arithmetic functions (§5.1.1.9)
        ("length(displayName) add 1 eq 13", r => r.DisplayName.Length + 1 == 13),
        ("length(displayName) mod 5 eq 2", r => r.DisplayName.Length % 5 == 2),
        ("length(displayName) div 5 eq 2", r => r.DisplayName.Length / 5 == 2),
        ("length(displayName) divby 8 eq 1.5", r => r.DisplayName.Length / 8m == 1.5m),
        ("length(displayName) divby 4 eq 3.0", r => r.DisplayName.Length == 12),
        ("length(displayName) divby 10 gt 1.2", r => r.DisplayName.Length / 10m > 1.2m),
        ("-length(displayName) le -14", r => -r.DisplayName.Length <= -14),
        ("ceiling(length(displayName) divby 5) eq 3", r => Math.Ceiling(r.DisplayName.Length / 5m) == 3),
        ("floor(length(displayName) divby 5) eq 2", r => Math.Floor(r.DisplayName.Length / 5m) == 2),
        ("round(length(displayName) divby 8) eq 2", r => Math.Round(r.DisplayName.Length / 8m, MidpointRounding.AwayFromZero) == 2),
        ("round(2.5) eq 3 and round(-2.5) eq -3", r => true),

        // Type functions (§5.1.1.11) on primitive values
        ("cast('31',Edm.Int32) eq 31", r => true),
        ("cast('x31',Edm.Int32) eq null", r => true),
        ("cast(2.5,Edm.Int32) eq 3", r => true),
        ("cast(length(displayName),Edm.Int64) eq 12", r => r.DisplayName.Length == 12),
        ("cast(status,Edm.Int32) eq 2", r => r.Status == "completed"),
        ("cast('2026-01-01T00:00:00Z',Edm.DateTimeOffset) eq startDateTime", r => r.Start == Midnight2026),
        ("cast(12,Edm.String) eq '12'", r => true),
        ("isof(displayName,Edm.String)", r => true),
    ];

    private Dictionary<string, string> names = null!;

    public static IEnumerable<TestCaseData> Filters() => Cases.Select(c => new TestCaseData(c.Filter).SetArgDisplayNames(c.Filter));

    [SetUp]
    public async Task SeedAsync() => names = await FunctionRuns.CreateAsync(Client);

    [TestCaseSource(nameof(Filters))]
    public async Task Filter_returns_what_the_function_means(string filter)
    {
        var expected = FunctionRuns.Matching(Cases.Single(c => c.Filter == filter).Expected);

        var actual = await NamesAsync("$filter=" + Uri.EscapeDataString(filter));

        Assert.That(actual, Is.EquivalentTo(expected), filter);
    }

    [Test]
    public async Task MatchesPattern_uses_ECMAScript_regular_expressions_on_SQLite_and_is_a_501_on_SQL_Server()
    {
        var url = "runs?$filter=" + Uri.EscapeDataString("matchesPattern(displayName,'^[A-Z][a-z]+ (export|import)$') or matchesPattern(displayName,'^élan','i')");
        using var response = await Client.GetAsync(url);

        if (Provider == TestProvider.SqlServer)
        {
            var error = await response.AssertGraphErrorAsync(System.Net.HttpStatusCode.NotImplemented, "queryFeatureNotSupported", "$filter");
            Assert.That((string?)error["message"], Does.Contain("matchesPattern"));
            return;
        }

        var page = await response.ReadJsonAsync();
        var expected = FunctionRuns.Matching(r => System.Text.RegularExpressions.Regex.IsMatch(r.DisplayName, "^[A-Z][a-z]+ (export|import)$")
            || r.DisplayName.StartsWith("Élan", StringComparison.Ordinal));
        Assert.That(page["value"]!.AsArray().Select(run => names[(string)run!["id"]!]), Is.EquivalentTo(expected));
    }

    /// <summary>A filter with functions, 4.01 syntax and an alias is a cursor walk like any other: every match once, in order.</summary>
    [Test]
    public async Task Next_links_walk_a_function_filter_with_aliases_and_401_syntax()
    {
        var walked = new List<string>();
        string? next = "runs?" + "$filter=" + Uri.EscapeDataString("year(startDateTime) ge @year and endDateTime sub startDateTime lt P2D or endDateTime eq null")
            + "&@year=2025&$orderby=" + Uri.EscapeDataString("startDateTime desc");
        while (next is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.TryAddWithoutValidation("Prefer", "odata.maxpagesize=2");
            using var response = await Client.SendAsync(request);
            var page = await response.ReadJsonAsync();
            walked.AddRange(page["value"]!.AsArray().Select(run => names[(string)run!["id"]!]));
            next = (string?)page["@odata.nextLink"];
        }

        var expected = FunctionRuns.Rows.Where(r => (r.Start.Year >= 2025 && r.End - r.Start < TimeSpan.FromDays(2)) || r.End is null)
            .OrderByDescending(r => r.Start).Select(r => r.Name);
        Assert.That(walked, Is.EqualTo(expected));
    }

    private async Task<string[]> NamesAsync(string query)
    {
        using var response = await Client.GetAsync("runs?" + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), text);
        return JsonNode.Parse(text)!["value"]!.AsArray().Select(run => names[(string)run!["id"]!]).ToArray();
    }
}
