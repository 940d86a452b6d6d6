using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;
using Row = IndustryData.OData.Tests.Query.ApplyRuns.Row;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// $apply (OData Data Aggregation Extension 4.0) on both providers: each transformation and aggregation method, in
/// sequences and with $filter/$orderby/$top/$skip/$count on the result, against values computed here from
/// <see cref="ApplyRuns"/> with LINQ.
/// </summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class ApplyTests(TestProvider provider) : ApiFixture(provider)
{
    private static readonly Row[] Rows = ApplyRuns.Rows;

    [SetUp]
    public Task SeedAsync() => ApplyRuns.CreateAsync(Client);

    [Test]
    public async Task Groupby_status_with_count_is_one_instance_per_status_in_the_extensions_shape()
    {
        var page = await Client.GetJsonAsync("runs?$apply=" + Uri.EscapeDataString("groupby((status),aggregate($count as n))"));

        var expected = Rows.GroupBy(row => row.Status).ToDictionary(group => group.Key, group => group.Count());
        var value = page["value"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That((string?)page["@odata.context"], Does.EndWith("$metadata#runs(status,n)"));
            Assert.That(value.ToDictionary(item => (string)item!["status"]!, item => (int)item!["n"]!), Is.EquivalentTo(expected));
            Assert.That(value.Select(item => (string?)item!["n@odata.type"]), Is.All.EqualTo("#Decimal"));
            Assert.That(value.Select(item => item!.AsObject().ContainsKey("@odata.id") && item["@odata.id"] is null), Is.All.True);
        });
    }

    [Test]
    public async Task Aggregate_methods_over_a_statistics_member_use_only_the_members_that_hold_numbers()
    {
        var item = await SingleAsync("aggregate($count as n,statistics/recordsSent with sum as s,statistics/recordsSent with average as a,"
            + "statistics/recordsSent with min as lo,statistics/recordsSent with max as hi,statistics/recordsFailed with sum as failed,statistics/source with countdistinct as sources)");

        var sent = Rows.Select(row => row.Number("recordsSent")).OfType<double>().ToList();
        Assert.Multiple(() =>
        {
            Assert.That((int)item["n"]!, Is.EqualTo(Rows.Length));
            Assert.That((double)item["s"]!, Is.EqualTo(sent.Sum()).Within(1e-9));
            Assert.That((double)item["a"]!, Is.EqualTo(sent.Average()).Within(1e-9));
            Assert.That((double)item["lo"]!, Is.EqualTo(sent.Min()));
            Assert.That((double)item["hi"]!, Is.EqualTo(sent.Max()));
            Assert.That((double)item["failed"]!, Is.EqualTo(Rows.Select(row => row.Number("recordsFailed")).OfType<double>().Sum()), "\"3\" is a string, not a number");
            Assert.That((int)item["sources"]!, Is.EqualTo(Rows.Select(row => row.Stats["source"]?.ToJsonString()).OfType<string>().Distinct().Count()));
        });
    }

    [Test]
    public async Task Min_max_and_countdistinct_over_declared_properties_keep_their_types()
    {
        var item = await SingleAsync("aggregate(startDateTime with min as first,startDateTime with max as last,displayName with countdistinct as names,status with max as worst)");

        Assert.Multiple(() =>
        {
            Assert.That(DateTimeOffset.Parse((string)item["first"]!, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(Rows.Min(row => row.Start)));
            Assert.That(DateTimeOffset.Parse((string)item["last"]!, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(Rows.Max(row => row.Start)));
            Assert.That((string?)item["first@odata.type"], Is.EqualTo("#DateTimeOffset"));
            Assert.That((int)item["names"]!, Is.EqualTo(Rows.Length));
            Assert.That((string?)item["worst"], Is.EqualTo("completedWithErrors"), "the highest member value present");
        });
    }

    [Test]
    public async Task Groupby_a_complex_member_nests_it_and_tells_a_null_error_from_an_error_without_code()
    {
        var page = await Client.GetJsonAsync("runs?$apply=" + Uri.EscapeDataString("groupby((blockingError/code),aggregate($count as n))"));

        var groups = page["value"]!.AsArray().Select(item => (Error: item!["blockingError"]?.ToJsonString() ?? "null", N: (int)item["n"]!)).ToList();
        var expected = Rows.GroupBy(row => row.HasError ? new JsonObject { ["code"] = row.ErrorCode }.ToJsonString() : "null")
            .Select(group => (group.Key, group.Count()));
        Assert.Multiple(() =>
        {
            Assert.That((string?)page["@odata.context"], Does.EndWith("$metadata#runs(blockingError(code),n)"));
            Assert.That(groups, Is.EquivalentTo(expected));
        });
    }

    [Test]
    public async Task Groupby_statistics_members_groups_by_their_JSON_values_nested_ones_too()
    {
        var page = await Client.GetJsonAsync("runs?$apply=" + Uri.EscapeDataString("groupby((statistics/source,statistics/nested/x),aggregate($count as n))"));

        var groups = page["value"]!.AsArray().Select(item => (Source: item!["statistics"]!["source"]?.ToJsonString(), X: item["statistics"]!["nested"]!["x"]?.ToJsonString(), N: (int)item["n"]!));
        var expected = Rows.GroupBy(row => (Source: row.Stats["source"]?.ToJsonString(), X: row.Stats["nested"]?["x"]?.ToJsonString()))
            .Select(group => (group.Key.Source, group.Key.X, group.Count()));
        Assert.Multiple(() =>
        {
            Assert.That((string?)page["@odata.context"], Does.EndWith("$metadata#runs(statistics(source,nested(x)),n)"));
            Assert.That(groups, Is.EquivalentTo(expected));
        });
    }

    [Test]
    public async Task Compute_a_date_part_then_groupby_it()
    {
        var page = await Client.GetJsonAsync("runs?$apply=" + Uri.EscapeDataString("compute(year(startDateTime) as y,month(startDateTime) as m)/groupby((y,m),aggregate($count as n))")
            + "&$orderby=" + Uri.EscapeDataString("y desc,m desc"));

        var expected = Rows.GroupBy(row => (row.Start.Year, row.Start.Month)).OrderByDescending(group => group.Key.Year).ThenByDescending(group => group.Key.Month)
            .Select(group => (group.Key.Year, group.Key.Month, group.Count()));
        Assert.Multiple(() =>
        {
            Assert.That(page["value"]!.AsArray().Select(item => ((int)item!["y"]!, (int)item["m"]!, (int)item["n"]!)), Is.EqualTo(expected));
            Assert.That((string?)page["value"]![0]!["y@odata.type"], Is.EqualTo("#Int32"));
        });
    }

    [Test]
    public async Task Groupby_the_type_through_isof_in_compute()
    {
        var page = await Client.GetJsonAsync("runs?$apply=" + Uri.EscapeDataString("compute(isof('microsoft.graph.industryData.outgoingFlowRun') as outgoing)/groupby((outgoing),aggregate($count as n))"));

        var groups = page["value"]!.AsArray().ToDictionary(item => (bool)item!["outgoing"]!, item => (int)item!["n"]!);
        Assert.That(groups, Is.EquivalentTo(Rows.GroupBy(row => row.Outgoing).ToDictionary(group => group.Key, group => group.Count())));
    }

    [Test]
    public async Task A_type_cast_set_aggregates_its_own_runs()
    {
        var page = await Client.GetJsonAsync("runs/microsoft.graph.industryData.outgoingFlowRun?$apply=" + Uri.EscapeDataString("groupby((status),aggregate($count as n))"));

        Assert.Multiple(() =>
        {
            Assert.That((string?)page["@odata.context"], Does.EndWith("$metadata#runs/microsoft.graph.industryData.outgoingFlowRun(status,n)"));
            Assert.That(page["value"]!.AsArray().ToDictionary(item => (string)item!["status"]!, item => (int)item!["n"]!),
                Is.EquivalentTo(Rows.Where(row => row.Outgoing).GroupBy(row => row.Status).ToDictionary(group => group.Key, group => group.Count())));
        });
    }

    [Test]
    public async Task A_sequence_filters_groups_orders_and_takes_the_top()
    {
        var page = await Client.GetJsonAsync("runs?$apply=" + Uri.EscapeDataString(
            "filter(status ne 'running' and startDateTime ge 2026-01-01T00:00:00Z)/groupby((status),aggregate(statistics/recordsSent with sum as sent))/orderby(sent desc)/top(2)"));

        var expected = Rows.Where(row => row.Status != "running" && row.Start >= new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
            .GroupBy(row => row.Status)
            .Select(group => (Status: group.Key, Sent: group.Select(row => row.Number("recordsSent")).OfType<double>().Sum()))
            .OrderByDescending(group => group.Sent).Take(2);
        Assert.That(page["value"]!.AsArray().Select(item => ((string)item!["status"]!, (double)item["sent"]!)), Is.EqualTo(expected));
    }

    [Test]
    public async Task Orderby_and_top_before_aggregate_aggregate_only_those_runs()
    {
        var item = await SingleAsync("orderby(startDateTime desc)/top(3)/aggregate($count as n,startDateTime with min as earliest)");

        Assert.Multiple(() =>
        {
            Assert.That((int)item["n"]!, Is.EqualTo(3));
            Assert.That(DateTimeOffset.Parse((string)item["earliest"]!, System.Globalization.CultureInfo.InvariantCulture),
                Is.EqualTo(Rows.OrderByDescending(row => row.Start).Take(3).Min(row => row.Start)));
        });
    }

    [Test]
    public async Task Filter_orderby_top_skip_and_count_apply_to_the_result_of_apply()
    {
        var page = await Client.GetJsonAsync("runs?$apply=" + Uri.EscapeDataString("groupby((status),aggregate($count as n))")
            + "&$filter=" + Uri.EscapeDataString("n ge 1 and status ne 'running'") + "&$orderby=" + Uri.EscapeDataString("n desc,status")
            + "&$count=true&$top=2&$skip=1");

        var all = Rows.Where(row => row.Status != "running").GroupBy(row => row.Status).Select(group => (Status: group.Key, N: group.Count()))
            .OrderByDescending(group => group.N).ThenBy(group => Enum.Parse<IndustryData.OData.Model.Runs.RunStatus>(group.Status, ignoreCase: true)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That((int)page["@odata.count"]!, Is.EqualTo(all.Count));
            Assert.That(page["value"]!.AsArray().Select(item => ((string)item!["status"]!, (int)item["n"]!)), Is.EqualTo(all.Skip(1).Take(2)));
        });
    }

    [Test]
    public async Task Next_links_walk_every_group_once()
    {
        var walked = new List<string>();
        string? next = "runs?$apply=" + Uri.EscapeDataString("groupby((status,blockingError/code))") + "&$count=true";
        long? count = null;
        while (next is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.TryAddWithoutValidation("Prefer", "odata.maxpagesize=2");
            using var response = await Client.SendAsync(request);
            var page = await response.ReadJsonAsync();
            Assert.That(page["value"]!.AsArray(), Has.Count.LessThanOrEqualTo(2));
            count ??= (long?)page["@odata.count"];
            walked.AddRange(page["value"]!.AsArray().Select(item => item!["status"] + "|" + item["blockingError"]?.ToJsonString()));
            next = (string?)page["@odata.nextLink"];
        }

        var expected = Rows.Select(row => row.Status + "|" + (row.HasError ? new JsonObject { ["code"] = row.ErrorCode }.ToJsonString() : null)).Distinct().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(walked, Is.EquivalentTo(expected));
            Assert.That(count, Is.EqualTo(expected.Count));
        });
    }

    [Test]
    public async Task Count_segment_counts_the_instances_of_the_result()
    {
        using var response = await Client.GetAsync("runs/$count?$apply=" + Uri.EscapeDataString("groupby((status))"), "text/plain");

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(Rows.Select(row => row.Status).Distinct().Count().ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task Filter_after_groupby_sees_the_aliases()
    {
        var page = await Client.GetJsonAsync("runs?$apply=" + Uri.EscapeDataString("groupby((status),aggregate($count as n))/filter(n gt 1)"));

        Assert.That(page["value"]!.AsArray().Select(item => (string)item!["status"]!),
            Is.EquivalentTo(Rows.GroupBy(row => row.Status).Where(group => group.Count() > 1).Select(group => group.Key)));
    }

    [Test]
    public async Task A_statistics_member_in_filter_compares_by_its_JSON_type()
    {
        var item = await SingleAsync("filter(statistics/recordsSent gt 6)/aggregate($count as n)");

        Assert.That((int)item["n"]!, Is.EqualTo(Rows.Count(row => row.Number("recordsSent") > 6)), "\"many\" is not a number and matches nothing");
    }

    [Test]
    public async Task Metadata_none_leaves_out_the_control_information()
    {
        using var response = await Client.GetAsync("runs?$apply=" + Uri.EscapeDataString("aggregate($count as n)"), "application/json;odata.metadata=none");
        var page = await response.ReadJsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That(page.ContainsKey("@odata.context"), Is.False);
            Assert.That(page["value"]![0]!.ToJsonString(), Is.EqualTo($"{{\"n\":{Rows.Length}}}"));
        });
    }

    private async Task<JsonObject> SingleAsync(string apply)
    {
        var page = await Client.GetJsonAsync("runs?$apply=" + Uri.EscapeDataString(apply));
        Assert.That(page["value"]!.AsArray(), Has.Count.EqualTo(1));
        return page["value"]![0]!.AsObject();
    }
}
