using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// $search on a run's blockingError/details (on the path and nested in $select): over each detail's code and message,
/// with the words of the runs' own search — no case, no diacritics, "phrases" word after word, prefix*, AND/OR/NOT.
/// </summary>
public sealed class DetailsSearchTests : ApiFixture
{
    private const string Error = """
        {"code":"syncFailed","message":"Sync failed","details":[
          {"code":"a","message":"Roster file was rejected"},
          {"code":"b","message":"Grade sync: RÔSTER row 3 invalid"},
          {"code":"c","message":"Invalid date in Rosters row 7"},
          {"code":"roster","message":"See the file"},
          {"code":"e"}]}
        """;

    private string id = null!;

    [SetUp]
    public async Task CreateRunAsync() =>
        id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing().With("blockingError", JsonNode.Parse(Error))))["id"]!;

    [TestCase("roster", "a,b,d")]
    [TestCase("roster*", "a,b,c,d")]
    [TestCase("\"file was\"", "a")]
    [TestCase("\"was file\"", "")]
    [TestCase("roster AND NOT rejected", "b,d")]
    [TestCase("invalid OR file", "a,b,c,d")]
    [TestCase("(row AND 3) OR see", "b,d")]
    [TestCase("NOT roster", "c,e")]
    public async Task Search_on_the_details_path_keeps_the_matching_details(string search, string codes)
    {
        var page = await Client.GetJsonAsync($"runs('{id}')/blockingError/details?$search={Uri.EscapeDataString(search)}&$count=true");

        var found = page["value"]!.AsArray().Select(detail => (string)detail!["code"]!).Select(code => code == "roster" ? "d" : code);
        Assert.Multiple(() =>
        {
            Assert.That(string.Join(",", found), Is.EqualTo(codes));
            Assert.That((long?)page["@odata.count"], Is.EqualTo(codes.Length == 0 ? 0 : codes.Split(',').Length));
        });
    }

    [Test]
    public async Task Search_nested_in_select_keeps_the_matching_details_and_counts_them()
    {
        var run = await Client.GetJsonAsync($"runs('{id}')?$select=" + Uri.EscapeDataString("blockingError/details($search=roster AND NOT rejected;$count=true;$select=code)"));
        var list = await Client.GetJsonAsync("runs?$select=" + Uri.EscapeDataString("id,blockingError/details($search=\"file was\")"));

        Assert.Multiple(() =>
        {
            Assert.That(run["blockingError"]!["details"]!.AsArray().Select(detail => (string?)detail!["code"]), Is.EqualTo(new[] { "b", "roster" }));
            Assert.That((long?)run["blockingError"]!["details@odata.count"], Is.EqualTo(2));
            var listed = list["value"]!.AsArray().Single(item => (string)item!["id"]! == id)!;
            Assert.That(listed["blockingError"]!["details"]!.AsArray().Select(detail => (string?)detail!["code"]), Is.EqualTo(new[] { "a" }));
        });
    }

    [TestCase("(roster")]
    [TestCase("roster AND")]
    public async Task A_malformed_search_on_the_details_is_a_400(string search)
    {
        using var response = await Client.GetAsync($"runs('{id}')/blockingError/details?$search={Uri.EscapeDataString(search)}");

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidSearch", "$search");
    }
}
