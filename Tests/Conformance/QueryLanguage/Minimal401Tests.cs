namespace IndustryData.OData.Tests.Conformance.QueryLanguage;

/// <summary>OData Protocol §12.2.1, OData 4.01 Minimal Conformance Level: the query-language items.</summary>
public class Minimal401Tests : QueryLanguageFixture
{
    /// <summary>Item 7: case-insensitive query option, operator and canonical function names.</summary>
    [Test]
    public async Task Minimal401_7_case_insensitive_option_operator_and_function_names()
    {
        var expected = FunctionRuns(r => r.Start.Year == 2026 && r.DisplayName.Length > 12);

        Assert.Multiple(async () =>
        {
            Assert.That(await NamesAsync(Filter("YEAR(startDateTime) EQ 2026 AND Length(displayName) GT 12")), Is.EquivalentTo(expected));
            Assert.That(await NamesAsync("$FILTER=" + Uri.EscapeDataString("year(startDateTime) eq 2026 and length(displayName) gt 12")), Is.EquivalentTo(expected));
            Assert.That(await NamesAsync(Filter("MatchesPattern(displayName,'^E') Or Not(ContainS(displayName,'a')) And Length(displayName) Mod 2 Eq 0")),
                Is.EquivalentTo(FunctionRuns(r => r.DisplayName.StartsWith('E') || (!r.DisplayName.Contains('a', StringComparison.Ordinal) && r.DisplayName.Length % 2 == 0))));
        });
    }

    /// <summary>Item 9.1: casting strings to primitive types in URLs (a string that is not a literal of the type casts to null).</summary>
    [Test]
    public async Task Minimal401_9_1_cast_strings_to_primitive_types()
    {
        await AssertFilterAsync("length(displayName) eq cast('12',Edm.Int32)", r => r.DisplayName.Length == 12);
        await AssertFilterAsync("cast('12x',Edm.Int32) eq null and cast('2.5',Edm.Decimal) eq 2.5 and cast('true',Edm.Boolean)", r => true);
        await AssertFilterAsync("startDateTime lt cast('2026-01-01T00:00:00Z',Edm.DateTimeOffset)", r => r.Start < new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    /// <summary>Item 9.2: enumeration and duration literals with or without the type prefix.</summary>
    [Test]
    public async Task Minimal401_9_2_duration_and_enumeration_literals_without_type_prefix()
    {
        await AssertFilterAsync("endDateTime sub startDateTime ge PT2H", r => r.End - r.Start >= TimeSpan.FromHours(2));
        await AssertFilterAsync("endDateTime sub startDateTime lt P1DT0.5S and startDateTime add -P1D lt 2024-03-01T00:00:00Z", r => r.End - r.Start < new TimeSpan(1, 0, 0, 0, 500) && r.Start.AddDays(-1) < new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await AssertFilterAsync("status eq 'completed' and displayName ne 'P1D'", r => r.Status == "completed");
    }

    /// <summary>Item 9.10: divby, which divides as decimals (an integer div truncates).</summary>
    [Test]
    public async Task Minimal401_9_10_divby()
    {
        await AssertFilterAsync("length(displayName) divby 8 eq 1.5", r => r.DisplayName.Length / 8m == 1.5m);
        await AssertFilterAsync("length(displayName) div 8 eq 1 and length(displayName) DivBy 8 gt 1.7", r => r.DisplayName.Length / 8 == 1 && r.DisplayName.Length / 8m > 1.7m);
    }

    /// <summary>Item 9.11: negative substring indexes count from the end.</summary>
    [Test]
    public async Task Minimal401_9_11_negative_substring_indexes()
    {
        await AssertFilterAsync("substring(displayName,-6) eq 'import'", r => r.DisplayName.EndsWith("import", StringComparison.Ordinal));
        await AssertFilterAsync("substring(displayName,-9,3) eq 'Imp'", r => r.DisplayName.Length >= 9 && r.DisplayName.Substring(r.DisplayName.Length - 9, 3) == "Imp");
    }

    private static string[] FunctionRuns(Func<Query.FunctionRuns.Row, bool> predicate) => Query.FunctionRuns.Matching(predicate);
}
