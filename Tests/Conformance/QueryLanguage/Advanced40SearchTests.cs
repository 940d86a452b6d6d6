using IndustryData.OData.Tests.Infrastructure;
using IndustryData.OData.Tests.Query;

namespace IndustryData.OData.Tests.Conformance.QueryLanguage;

/// <summary>OData Protocol §12.1.3, OData 4.0 Advanced Conformance Level: the $search item.</summary>
public class Advanced40SearchTests : QueryLanguageFixture
{
    /// <summary>
    /// Item 10: MUST support the $search system query option (§11.2.6.6): words, phrases, NOT, AND, OR, grouping, with
    /// $filter, and on /$count (§11.2.10: the count after $filter and $search). Words match displayName case- and
    /// diacritic-insensitively; the expected runs are computed from <see cref="FunctionRuns"/>'s names here.
    /// </summary>
    [Test]
    public async Task Advanced40_10_search()
    {
        static bool Word(FunctionRuns.Row row, string word) =>
            row.DisplayName.Split([' ', '-', '\t', '%', '_', '[', ']'], StringSplitOptions.RemoveEmptyEntries)
                .Any(token => string.Equals(Folded(token), word, StringComparison.OrdinalIgnoreCase));

        Assert.Multiple(async () =>
        {
            Assert.That(await NamesAsync("$search=export"), Is.EquivalentTo(FunctionRuns.Matching(r => Word(r, "export"))));
            Assert.That(await NamesAsync("$search=elan"), Is.EquivalentTo(new[] { "Elan" }));
            Assert.That(await NamesAsync("$search=export OR import"), Is.EquivalentTo(FunctionRuns.Matching(r => Word(r, "export") || Word(r, "import"))));
            Assert.That(await NamesAsync("$search=NOT import"), Is.EquivalentTo(FunctionRuns.Matching(r => !Word(r, "import"))));
            Assert.That(await NamesAsync("$search=(delta OR foxtrot) AND import"), Is.EquivalentTo(new[] { "Delta", "Foxtrot" }));
            Assert.That(await NamesAsync("$search=" + Uri.EscapeDataString("\"import 42\"")), Is.EquivalentTo(new[] { "Delta" }));
            Assert.That(await NamesAsync("$search=import&$filter=" + Uri.EscapeDataString("status eq 'running'")), Is.EquivalentTo(new[] { "Bravo" }));
            Assert.That(await NamesAsync("search=EXPORT"), Is.EquivalentTo(FunctionRuns.Matching(r => Word(r, "export"))), "4.01: the name without $, in any case");
            using var count = await Client.GetAsync("runs/$count?$search=import", "text/plain");
            Assert.That(await count.Content.ReadAsStringAsync(), Is.EqualTo(FunctionRuns.Matching(r => Word(r, "import")).Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        });
    }

    private static string Folded(string text) =>
        new([.. text.Normalize(System.Text.NormalizationForm.FormD).Where(c => System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)]);
}
