using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// contains/endswith on displayName through the trigram index keep OData's exact, case-sensitive answers: the index only
/// narrows the candidates (it may match runs that hold the trigrams apart), the exact predicate decides. Expected names
/// are computed here with ordinal string functions.
/// </summary>
public sealed class NameSubstringTests : ApiFixture
{
    private static readonly string[] Names =
    [
        "Nightly roster export",
        "ROSTER upper",
        "roster",
        "ost ste ter apart",
        "a \"quote\" b",
        "Ünïcödé 😀 name",
        "xx",
        "payroll export",
        "rosterroster",
    ];

    [SetUp]
    public async Task SeedAsync()
    {
        foreach (var name in Names)
        {
            await Client.CreateRunAsync(RunBodies.Outgoing().With("displayName", name).With("endDateTime", null));
        }
    }

    private async Task<List<string>> NamesAsync(string filter)
    {
        var page = await Client.GetJsonAsync("runs?$top=1000&$filter=" + Uri.EscapeDataString(filter));
        return [.. page["value"]!.AsArray().Select(run => (string)run!["displayName"]!).Order(StringComparer.Ordinal)];
    }

    private static List<string> Expected(Func<string, bool> predicate) => [.. Names.Where(predicate).Order(StringComparer.Ordinal)];

    [Test]
    public async Task Contains_and_endswith_answer_exactly_with_and_without_the_index()
    {
        (string Filter, Func<string, bool> Predicate)[] cases =
        [
            ("contains(displayName,'oster')", name => name.Contains("oster", StringComparison.Ordinal)),
            ("contains(displayName,'OSTER')", name => name.Contains("OSTER", StringComparison.Ordinal)),
            ("contains(displayName,'roster')", name => name.Contains("roster", StringComparison.Ordinal)),
            ("contains(displayName,'os')", name => name.Contains("os", StringComparison.Ordinal)),
            ("contains(displayName,'x')", name => name.Contains('x', StringComparison.Ordinal)),
            ("contains(displayName,'\"quote\"')", name => name.Contains("\"quote\"", StringComparison.Ordinal)),
            ("contains(displayName,'ödé 😀')", name => name.Contains("ödé 😀", StringComparison.Ordinal)),
            ("contains(displayName,'😀')", name => name.Contains("😀", StringComparison.Ordinal)),
            ("contains(displayName,'ster ')", name => name.Contains("ster ", StringComparison.Ordinal)),
            ("endswith(displayName,'export')", name => name.EndsWith("export", StringComparison.Ordinal)),
            ("endswith(displayName,'roster')", name => name.EndsWith("roster", StringComparison.Ordinal)),
            ("endswith(displayName,'rt')", name => name.EndsWith("rt", StringComparison.Ordinal)),
            ("not contains(displayName,'oster')", name => !name.Contains("oster", StringComparison.Ordinal)),
            ("contains(displayName,'oster') or endswith(displayName,'upper')",
                name => name.Contains("oster", StringComparison.Ordinal) || name.EndsWith("upper", StringComparison.Ordinal)),
            ("contains(displayName,'absent')", _ => false),
        ];

        Assert.Multiple(async () =>
        {
            foreach (var (filter, predicate) in cases)
            {
                Assert.That(await NamesAsync(filter), Is.EqualTo(Expected(predicate)), filter);
            }
        });
    }

    [Test]
    public async Task A_renamed_run_is_found_by_its_new_name_only()
    {
        var page = await Client.GetJsonAsync("runs?$filter=displayName eq 'payroll export'");
        var id = (string)page["value"]![0]!["id"]!;
        using (var renamed = await Client.SendJsonAsync(HttpMethod.Patch, $"runs('{id}')", """{"displayName":"ledger import"}"""))
        {
            Assert.That(renamed.IsSuccessStatusCode, Is.True);
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await NamesAsync("contains(displayName,'payroll')"), Is.Empty);
            Assert.That(await NamesAsync("endswith(displayName,'import')"), Is.EqualTo(new[] { "ledger import" }));
        });
    }

    [Test]
    public async Task Contains_with_search_and_a_cursor()
    {
        var seen = new List<string>();
        for (string? next = "runs?$filter=contains(displayName,'oster')&$search=roster"; next is not null;)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.TryAddWithoutValidation("Prefer", "odata.maxpagesize=1");
            using var response = await Client.SendAsync(request);
            var body = await response.ReadJsonAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
            seen.AddRange(body["value"]!.AsArray().Select(run => (string)run!["displayName"]!));
            next = (string?)body["@odata.nextLink"];
        }

        Assert.That(seen.Order(StringComparer.Ordinal), Is.EqualTo(new[] { "Nightly roster export", "roster" }));
    }
}
