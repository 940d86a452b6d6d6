namespace IndustryData.OData.Tests.Conformance.QueryLanguage;

/// <summary>OData Protocol §12.1.1, OData 4.0 Minimal Conformance Level: the query-language items.</summary>
public class Minimal40Tests : QueryLanguageFixture
{
    /// <summary>Item 7: parse every supported system query option per the ABNF; follow the spec or answer 501.</summary>
    [Test]
    public async Task Minimal40_7_parse_supported_options_then_follow_or_501()
    {
        await AssertNotImplementedAsync(Filter("case(length(displayName) gt 12:1,true:0) eq 1"), "case");
        await AssertNotImplementedAsync("$orderby=" + Uri.EscapeDataString("length(displayName) desc"), "expression");
        await AssertNotImplementedAsync(Filter("cast(startDateTime,Edm.String) eq '2026-01-01T00:00:00Z'"), "cast");
        await AssertFilterAsync("length(displayName) gt 12", r => r.DisplayName.Length > 12);
    }

    /// <summary>Item 15: enumeration and duration literals with the type prefix.</summary>
    [Test]
    public async Task Minimal40_15_duration_and_enumeration_literals_with_type_prefix()
    {
        await AssertFilterAsync("endDateTime sub startDateTime ge duration'PT2H'", r => r.End - r.Start >= TimeSpan.FromHours(2));
        await AssertFilterAsync("endDateTime sub startDateTime eq duration'-P0DT0H0M0S'", r => r.End == r.Start);
        await AssertFilterAsync("status eq microsoft.graph.industryData.runStatus'completed'", r => r.Status == "completed");
    }
}
