using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;
using IndustryData.OData.Tests.Query;

namespace IndustryData.OData.Tests.Conformance.QueryLanguage;

/// <summary>
/// OData Protocol §12 (Conformance) items about the query language, checked over HTTP on the runs of
/// <see cref="FunctionRuns"/>: each valid request either answers what the specification says (rows computed in .NET
/// from the seeded values) or a 501 in the Graph error shape naming what is not supported — never a 400 or a 500.
/// </summary>
public abstract class QueryLanguageFixture : ApiFixture
{
    private Dictionary<string, string> names = null!;

    [SetUp]
    public async Task SeedAsync() => names = await FunctionRuns.CreateAsync(Client);

    /// <summary>The names of the runs a query returns; fails unless it answers 200.</summary>
    protected async Task<string[]> NamesAsync(string query)
    {
        using var response = await Client.GetAsync("runs?" + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{query}\n{text}");
        return JsonNode.Parse(text)!["value"]!.AsArray().Select(run => names[(string)run!["id"]!]).ToArray();
    }

    protected static string Filter(string expression) => "$filter=" + Uri.EscapeDataString(expression);

    protected async Task AssertFilterAsync(string expression, Func<FunctionRuns.Row, bool> expected) =>
        Assert.That(await NamesAsync(Filter(expression)), Is.EquivalentTo(FunctionRuns.Matching(expected)), expression);

    /// <summary>Asserts a 501 whose message names <paramref name="construct"/>.</summary>
    protected async Task AssertNotImplementedAsync(string query, string construct)
    {
        using var response = await Client.GetAsync("runs?" + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotImplemented), $"{query}\n{text}");
        var error = GraphErrorAssert.AssertShape(response, text);
        Assert.That((string?)error["message"], Does.Contain(construct), query);
    }

    /// <summary>Either the rows OData defines or a 501: what a conformance item allows for optional functionality.</summary>
    protected async Task AssertFollowedOrNotImplementedAsync(string expression, Func<FunctionRuns.Row, bool> expected)
    {
        using var response = await Client.GetAsync("runs?" + Filter(expression));
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.NotImplemented)
        {
            GraphErrorAssert.AssertShape(response, text);
            return;
        }

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{expression}\n{text}");
        Assert.That(JsonNode.Parse(text)!["value"]!.AsArray().Select(run => names[(string)run!["id"]!]), Is.EquivalentTo(FunctionRuns.Matching(expected)), expression);
    }
}
