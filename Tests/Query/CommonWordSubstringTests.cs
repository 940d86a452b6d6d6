using IndustryData.OData.Tests.Infrastructure;
using IndustryData.OData.Tests.Storage;
using Microsoft.Extensions.Logging;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// contains/endswith on displayName with a word in many names (here: in 2 runs or more, Querying:CommonWordMatches=2)
/// keep the exact predicate alone, walked in the list's order, instead of reading every match from the trigram index
/// first; a rarer word still goes through the index. Either way the answer is the same, computed here with ordinal
/// string functions.
/// </summary>
public sealed class CommonWordSubstringTests : ApiFixture
{
    private static readonly string[] Names = ["Nightly roster export", "payroll export", "roster", "Grades import"];

    private readonly SqlCommandLog sql = new();

    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["Querying:CommonWordMatches"] = "2" };

    protected override void ConfigureLogging(ILoggingBuilder logging) => SqlCommandLog.AddTo(logging, sql);

    [SetUp]
    public async Task SeedAsync()
    {
        foreach (var name in Names)
        {
            await Client.CreateRunAsync(RunBodies.Outgoing().With("displayName", name));
        }
    }

    [TestCase("contains(displayName,'export')", "export", true)]
    [TestCase("endswith(displayName,'export')", "export", true)]
    [TestCase("contains(displayName,'roster')", "roster", true)]
    [TestCase("contains(displayName,'payroll')", "payroll", false)]
    [TestCase("contains(displayName,'Grades')", "Grades", false)]
    public async Task A_common_word_walks_the_list_a_rare_one_reads_the_index_and_both_answer_exactly(string filter, string word, bool common)
    {
        sql.Drain();
        var page = await Client.GetJsonAsync("runs?$count=true&$filter=" + Uri.EscapeDataString(filter));

        var names = page["value"]!.AsArray().Select(run => (string)run!["displayName"]!).Order(StringComparer.Ordinal);
        var expected = Names.Where(name => filter.StartsWith("endswith", StringComparison.Ordinal) ? name.EndsWith(word, StringComparison.Ordinal) : name.Contains(word, StringComparison.Ordinal));
        var lists = sql.Drain().Where(command => command.Contains("FROM \"runs\" AS", StringComparison.Ordinal)).ToList(); // the page and the count, not the probe
        Assert.Multiple(() =>
        {
            Assert.That(names, Is.EqualTo(expected.Order(StringComparer.Ordinal)));
            Assert.That((int?)page["@odata.count"], Is.EqualTo(expected.Count()));
            Assert.That(lists, Is.Not.Empty);
            Assert.That(lists.Any(command => command.Contains("runs_names", StringComparison.Ordinal)), Is.EqualTo(!common),
                common ? "a common word is tested as the list walks" : "a rare word is read from the trigram index");
        });
    }
}
