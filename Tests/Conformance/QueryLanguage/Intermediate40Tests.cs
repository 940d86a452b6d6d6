using IndustryData.OData.Tests.Query;

namespace IndustryData.OData.Tests.Conformance.QueryLanguage;

/// <summary>OData Protocol §12.1.2, OData 4.0 Intermediate Conformance Level: the $filter items.</summary>
public class Intermediate40Tests : QueryLanguageFixture
{
    private static readonly DateTimeOffset Midnight2026 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Item 2: parse the ABNF and follow the specification or answer 501 — for each valid form, one or the other.</summary>
    [TestCase("geo.distance(geography'SRID=4326;POINT(0 0)',geography'SRID=4326;POINT(1 1)') gt 0")]
    [TestCase("geo.length(geography'SRID=4326;LINESTRING(0 0,1 1)') gt 0")]
    [TestCase("case(true:1) eq 1")]
    [TestCase("(endDateTime sub startDateTime) mul 2 eq duration'PT2H'")]
    [TestCase("cast(displayName,Edm.Int32) eq 1")]
    [TestCase("isof(length(displayName),Edm.Int64)")]
    public async Task Intermediate40_2_valid_abnf_is_followed_or_501(string expression) =>
        await AssertFollowedOrNotImplementedAsync(expression, Expected(expression));

    /// <summary>Item 7.2: parameter aliases in $filter — for literals, inside functions, for a whole condition, and in $orderby.</summary>
    [Test]
    public async Task Intermediate40_7_2_parameter_aliases()
    {
        Assert.Multiple(async () =>
        {
            Assert.That(await NamesAsync(Filter("length(displayName) eq @n") + "&@n=12"), Is.EquivalentTo(FunctionRuns.Matching(r => r.DisplayName.Length == 12)));
            Assert.That(await NamesAsync(Filter("substring(displayName,@start,@length) eq @text") + "&@start=1&@length=4&@text=" + Uri.EscapeDataString("'lpha'")),
                Is.EquivalentTo(FunctionRuns.Matching(r => r.DisplayName.StartsWith("Alpha", StringComparison.Ordinal))));
            Assert.That(await NamesAsync(Filter("@condition") + "&@condition=" + Uri.EscapeDataString("year(startDateTime) lt 2026")),
                Is.EquivalentTo(FunctionRuns.Matching(r => r.Start.Year < 2026)));
            Assert.That(await NamesAsync(Filter("endDateTime sub startDateTime eq @d") + "&@d=" + Uri.EscapeDataString("duration'PT1H'")),
                Is.EquivalentTo(FunctionRuns.Matching(r => r.End - r.Start == TimeSpan.FromHours(1))));
            Assert.That(await NamesAsync("$orderby=" + Uri.EscapeDataString("@key desc") + "&@key=displayName"),
                Is.EqualTo(FunctionRuns.Rows.OrderByDescending(r => r.DisplayName, StringComparer.Ordinal).Select(r => r.Name)));
        });
    }

    /// <summary>Item 7.3: the built-in filter operations (URL Conventions §5.1.1.1–5.1.1.4).</summary>
    [Test]
    public async Task Intermediate40_7_3_filter_operations_or_501()
    {
        await AssertFilterAsync("displayName eq 'Echo' or displayName ne 'Echo' and not (length(displayName) lt 12)", r => r.DisplayName == "Echo" || r.DisplayName.Length >= 12);
        await AssertFilterAsync("startDateTime gt 2026-01-01T00:00:00Z and startDateTime le 2026-02-15T13:45:30.25Z", r => r.Start > Midnight2026 && r.Start <= new DateTimeOffset(2026, 2, 15, 13, 45, 30, 250, TimeSpan.Zero));
        await AssertFilterAsync("status in ('completed','failed')", r => r.Status is "completed" or "failed");
        await AssertFilterAsync("(length(displayName) add 2) mul 3 sub 6 div 2 mod 4 eq 39", r => (r.DisplayName.Length + 2) * 3 - (6 / 2 % 4) == 39);
        await AssertFilterAsync("-length(displayName) ge -11", r => -r.DisplayName.Length >= -11);
        await AssertFilterAsync("startDateTime add duration'PT1H' gt endDateTime", r => r.Start.AddHours(1) > r.End);
        await AssertFollowedOrNotImplementedAsync("status has microsoft.graph.industryData.runStatus'completed'", r => r.Status == "completed");
    }

    /// <summary>Item 7.4: every canonical function (URL Conventions §5.1.1.5–5.1.1.12) is evaluated or answers 501 naming it.</summary>
    [Test]
    public async Task Intermediate40_7_4_canonical_functions_or_501()
    {
        await AssertFilterAsync("contains(displayName,'port') and startswith(displayName,'Al') and endswith(displayName,'ort')", r => r.DisplayName == "Alpha export");
        await AssertFilterAsync("length(trim(displayName)) eq 12 and indexof(tolower(displayName),'bravo') eq 2", r => r.Name == "Bravo");
        await AssertFilterAsync("concat(toupper(substring(displayName,0,1)),substring(displayName,1)) eq 'Delta-Import 42'", r => r.Name == "Delta");
        await AssertFilterAsync("year(startDateTime) eq 2024 and month(startDateTime) eq 2 and day(startDateTime) eq 29", r => r.Name == "Echo");
        await AssertFilterAsync("hour(startDateTime) eq 13 and minute(startDateTime) eq 45 and second(startDateTime) eq 30 and fractionalseconds(startDateTime) eq 0.25", r => r.Name == "Bravo");
        await AssertFilterAsync("date(startDateTime) eq 2025-12-31 and time(startDateTime) gt 23:59:59", r => r.Name == "Elan");
        await AssertFilterAsync("totaloffsetminutes(startDateTime) eq 0 and startDateTime lt now() and startDateTime gt mindatetime() and startDateTime lt maxdatetime()", r => true);
        await AssertFilterAsync("totalseconds(endDateTime sub startDateTime) eq 7200", r => r.End - r.Start == TimeSpan.FromHours(2));
        await AssertFilterAsync("round(length(displayName) div 2.0) eq 6 and floor(1.5) eq 1 and ceiling(1.5) eq 2", r => Math.Round(r.DisplayName.Length / 2.0, MidpointRounding.AwayFromZero) == 6);
        await AssertFilterAsync("isof('microsoft.graph.industryData.outgoingFlowRun') and cast('12',Edm.Int32) eq length(displayName)", r => r.Name == "Alpha");
        await AssertFilterAsync("matchesPattern(displayName,'^[a-z]+-[A-Z]')", r => r.Name == "Delta");
        await AssertNotImplementedAsync(Filter("geo.distance(geography'SRID=4326;POINT(0 0)',geography'SRID=4326;POINT(1 1)') gt 0"), "geo.distance");
    }

    private static Func<FunctionRuns.Row, bool> Expected(string expression) => expression switch
    {
        "case(true:1) eq 1" => r => true,
        "(endDateTime sub startDateTime) mul 2 eq duration'PT2H'" => r => r.End - r.Start == TimeSpan.FromHours(1),
        "isof(length(displayName),Edm.Int64)" => r => true,
        _ => r => false,
    };
}
