using System.Net;
using System.Text.Json.Nodes;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// $compute (URL Conventions §5.1.3): properties computed in SQL next to each run, output when $select names them (or is
/// * or absent), usable in $filter and $orderby of the same request, on lists (with paging) and on one run.
/// </summary>
public class ComputeTests : ApiFixture
{
    private const string Outgoing = "microsoft.graph.industryData.outgoingFlowRun";
    private static readonly DateTimeOffset Origin = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Runs named "r", "ru", …: name length i + 1; even ones outgoing; started in 2025 + i % 3.</summary>
    private async Task<List<string>> SeedAsync(int count)
    {
        var ids = new List<string>();
        await Host.WithDbAsync(async db =>
        {
            for (var i = 0; i < count; i++)
            {
                Run run = i % 2 == 0 ? new OutgoingFlowRun() : new IncomingFlowRun();
                run.Id = Guid.CreateVersion7().ToString();
                run.DisplayName = new string('r', i + 1);
                run.StartDateTime = Origin.AddYears(i % 3);
                run.EndDateTime = i % 4 == 0 ? null : run.StartDateTime.AddMinutes(90);
                run.Status = (RunStatus)(i % 5);
                db.Runs.Add(run);
                ids.Add(run.Id);
            }

            return await db.SaveChangesAsync();
        });
        return ids;
    }

    private static string Query(string compute, string rest = "") => "$compute=" + Uri.EscapeDataString(compute) + rest;

    private async Task<JsonObject> GetAsync(string url, int? pageSize = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (pageSize is { } size)
        {
            request.Headers.TryAddWithoutValidation("Prefer", $"odata.maxpagesize={size}");
        }

        using var response = await Client.SendAsync(request);
        var body = await response.ReadJsonAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        return body;
    }

    [Test]
    public async Task Computed_properties_named_in_select_are_output_with_their_type_and_context()
    {
        await SeedAsync(3);

        var page = await GetAsync("runs?" + Query("year(startDateTime) as y,length(displayName) as n", "&$select=y,n,displayName&$orderby=displayName"));

        var first = page["value"]![0]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That((string?)page["@odata.context"], Does.EndWith("$metadata#runs(y,n,displayName)"));
            Assert.That(page["value"]!.AsArray().Select(run => (int?)run!["n"]), Is.EqualTo(new int?[] { 1, 2, 3 }));
            Assert.That(page["value"]!.AsArray().Select(run => (int?)run!["y"]), Is.EqualTo(new int?[] { 2025, 2026, 2027 }));
            Assert.That((string?)first["y@odata.type"], Is.EqualTo("#Int32"));
            Assert.That((string?)first["displayName"], Is.EqualTo("r"));
            Assert.That(first.ContainsKey("status"), Is.False);
        });
    }

    [Test]
    public async Task Without_select_computed_properties_come_with_every_property_and_with_a_select_not_naming_them_they_do_not()
    {
        await SeedAsync(1);

        var all = (await GetAsync("runs?" + Query("length(displayName) as n")))["value"]![0]!.AsObject();
        var star = (await GetAsync("runs?" + Query("length(displayName) as n", "&$select=*")))["value"]![0]!.AsObject();
        var other = (await GetAsync("runs?" + Query("length(displayName) as n", "&$select=status")))["value"]![0]!.AsObject();

        Assert.Multiple(() =>
        {
            Assert.That((int?)all["n"], Is.EqualTo(1));
            Assert.That((string?)all["displayName"], Is.EqualTo("r"));
            Assert.That((int?)star["n"], Is.EqualTo(1));
            Assert.That(other.ContainsKey("n"), Is.False);
        });
    }

    [Test]
    public async Task Non_json_native_types_carry_their_odata_type()
    {
        await SeedAsync(2);

        var run = (await GetAsync("runs?" + Query(
            "endDateTime sub startDateTime as d,startDateTime add duration'PT1H' as later,date(startDateTime) as day,length(displayName) divby 2 as half,startswith(displayName,'r') as b,concat(displayName,'!') as s",
            "&$select=d,later,day,half,b,s&$filter=endDateTime ne null")))["value"]![0]!.AsObject();

        Assert.Multiple(() =>
        {
            Assert.That((string?)run["d"], Is.EqualTo("PT1H30M"));
            Assert.That((string?)run["d@odata.type"], Is.EqualTo("#Duration"));
            Assert.That((string?)run["later"], Is.EqualTo("2026-03-01T01:00:00Z"));
            Assert.That((string?)run["later@odata.type"], Is.EqualTo("#DateTimeOffset"));
            Assert.That((string?)run["day"], Is.EqualTo("2026-03-01"));
            Assert.That((string?)run["day@odata.type"], Is.EqualTo("#Date"));
            Assert.That((decimal?)run["half"], Is.EqualTo(1m));
            Assert.That((string?)run["half@odata.type"], Is.EqualTo("#Decimal"));
            Assert.That((bool?)run["b"], Is.True);
            Assert.That(run.ContainsKey("b@odata.type"), Is.False);
            Assert.That((string?)run["s"], Is.EqualTo("rr!"));
        });
    }

    [Test]
    public async Task Computed_properties_filter_and_order_on_a_type_cast_set_with_count_top_and_skip()
    {
        await SeedAsync(10);

        var page = await GetAsync($"runs/{Outgoing}?" + Query("length(displayName) as n", "&$filter=n gt 3&$orderby=n desc&$count=true&$top=2&$skip=1&$select=n"));

        Assert.Multiple(() =>
        {
            Assert.That((long?)page["@odata.count"], Is.EqualTo(3)); // outgoing: lengths 1, 3, 5, 7, 9
            Assert.That(page["value"]!.AsArray().Select(run => (int?)run!["n"]), Is.EqualTo(new int?[] { 7, 5 }));
            Assert.That((string?)page["@odata.context"], Does.EndWith($"$metadata#runs/{Outgoing}(n)"));
        });
    }

    [TestCase("n desc")]
    [TestCase("n")]
    [TestCase("y desc,n")]
    public async Task Paging_by_a_computed_property_walks_every_run_once_in_order(string orderBy)
    {
        var ids = await SeedAsync(11);

        var seen = new List<JsonObject>();
        for (string? next = "runs?" + Query("length(displayName) mod 4 as n,year(startDateTime) as y", $"&$orderby={orderBy}&$select=id,n,y"); next is not null;)
        {
            var page = await GetAsync(next, pageSize: 3);
            seen.AddRange(page["value"]!.AsArray().Select(run => run!.AsObject()));
            next = (string?)page["@odata.nextLink"];
            Assert.That(next is null || next.Contains("compute", StringComparison.Ordinal), next);
        }

        var keys = seen.Select(run => (N: (int)run["n"]!, Y: (int)run["y"]!, Id: (string)run["id"]!)).ToList();
        var expected = orderBy switch
        {
            "n desc" => keys.OrderByDescending(key => key.N).ThenByDescending(key => key.Id, StringComparer.Ordinal),
            "n" => keys.OrderBy(key => key.N).ThenBy(key => key.Id, StringComparer.Ordinal),
            _ => keys.OrderByDescending(key => key.Y).ThenBy(key => key.N).ThenBy(key => key.Id, StringComparer.Ordinal),
        };
        Assert.Multiple(() =>
        {
            Assert.That(keys.Select(key => key.Id), Is.EquivalentTo(ids));
            Assert.That(keys, Is.EqualTo(expected.ToList()));
        });
    }

    [Test]
    public async Task Ordering_by_a_computed_property_a_cursor_cannot_carry_is_a_501_when_a_next_page_is_needed()
    {
        await SeedAsync(4);

        using var response = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "runs?" + Query("length(displayName) divby 2 as half", "&$orderby=half"))
        {
            Headers = { { "Prefer", "odata.maxpagesize=2" } },
        });
        var onePage = await GetAsync("runs?" + Query("length(displayName) divby 2 as half", "&$orderby=half desc&$top=2"));

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.NotImplemented, "queryFeatureNotSupported", "$orderby");
        Assert.Multiple(() =>
        {
            Assert.That((string?)error["message"], Does.Contain("$orderby on a computed property").And.Contain("paging"));
            Assert.That(onePage["value"]!.AsArray().Select(run => (decimal?)run!["half"]), Is.EqualTo(new decimal?[] { 2m, 1.5m }));
        });
    }

    [Test]
    public async Task One_run_by_key_has_its_computed_properties()
    {
        var ids = await SeedAsync(2);

        var run = await GetAsync($"runs('{ids[1]}')?" + Query("length(displayName) as n,toupper(displayName) as u", "&$select=n,u"));
        var cast = await GetAsync($"runs('{ids[0]}')/{Outgoing}?" + Query("length(displayName) as n"));

        Assert.Multiple(() =>
        {
            Assert.That((int?)run["n"], Is.EqualTo(2));
            Assert.That((string?)run["u"], Is.EqualTo("RR"));
            Assert.That((string?)run["@odata.context"], Does.EndWith("$metadata#runs/microsoft.graph.industryData.incomingFlowRun(n,u)/$entity"));
            Assert.That((int?)cast["n"], Is.EqualTo(1));
            Assert.That((string?)cast["displayName"], Is.EqualTo("r"));
        });
    }

    [TestCase("length(displayName) as displayName", "$select=displayName", "displayName")]
    [TestCase("length(displayName) as STATUS", "", "STATUS")]
    [TestCase("length(displayName) as n,year(startDateTime) as n", "", "more than once")]
    [TestCase("length(displayName) as", "", "$compute")]
    [TestCase("nosuchfunction(displayName) as n", "", "$compute")]
    [TestCase("length(nosuchproperty) as n", "", "nosuchproperty")]
    public async Task Invalid_compute_is_a_400_saying_what_to_send(string compute, string rest, string mentioned)
    {
        using var response = await Client.GetAsync("runs?" + Query(compute, rest.Length > 0 ? "&" + rest : string.Empty));

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidQueryOption", "$compute");
        Assert.That((string?)error["message"], Does.Contain(mentioned));
    }

    [TestCase("$select=n", "$select")]
    [TestCase("$filter=n gt 1", "$filter")]
    [TestCase("$orderby=n", "$orderby")]
    public async Task An_alias_used_without_compute_is_a_400_pointing_at_compute(string query, string option)
    {
        using var response = await Client.GetAsync("runs?" + query);

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidQueryOption", option);
        Assert.That((string?)error["message"], Does.Contain("$compute"));
    }

    [Test]
    public async Task An_expression_the_service_does_not_evaluate_is_the_same_501_as_in_filter_naming_compute()
    {
        const string has = "status has microsoft.graph.industryData.runStatus'completed'";
        using var compute = await Client.GetAsync("runs?" + Query(has + " as h"));
        using var filter = await Client.GetAsync("runs?$filter=" + Uri.EscapeDataString(has));

        var error = await compute.AssertGraphErrorAsync(HttpStatusCode.NotImplemented, "queryFeatureNotSupported", "$compute");
        await filter.AssertGraphErrorAsync(HttpStatusCode.NotImplemented, "queryFeatureNotSupported", "$filter");
        Assert.That((string?)error["message"], Does.StartWith("$compute uses has"));
    }

    [Test]
    public async Task Compute_nested_in_select_on_details_stays_a_501()
    {
        using var response = await Client.GetAsync("runs?$select=" + Uri.EscapeDataString("blockingError/details($compute=length(code) as n)"));

        await response.AssertGraphErrorAsync(HttpStatusCode.NotImplemented, "queryFeatureNotSupported", "$select");
    }
}
