namespace IndustryData.OData.Bench.Scale;

/// <summary>The measured list shapes: the table plus every documented filter and order.</summary>
public static class Shapes
{
    private const string Outgoing = "microsoft.graph.industryData.outgoingFlowRun";

    /// <summary>Name, then the URL for a table of <c>size</c> runs whose newest start is <paramref name="latest"/>.</summary>
    public static IReadOnlyList<(string Name, string Url)> For(int size, DateTime latest)
    {
        var day = latest.Date.AddDays(-10);
        var month = latest.Date.AddDays(-30);
        var yesterday = latest.Date.AddDays(-1);
        return
        [
            ("$top=50", "runs?$top=50"),
            ("status eq 'completed', $top=50", "runs?$filter=status eq 'completed'&$top=50"),
            ("cast set, status eq 'completed', $top=50", $"runs/{Outgoing}?$filter=status eq 'completed'&$top=50"),
            ("status eq 'failed', $orderby=startDateTime desc, $top=50", "runs?$filter=status eq 'failed'&$orderby=startDateTime desc&$top=50"),
            ("$skip=90% of the table, $top=50", $"runs?$top=50&$skip={size * 9 / 10}"),
            ("$count (whole set)", "runs/$count"),
            ("$orderby=displayName, $top=50", "runs?$orderby=displayName&$top=50"),
            ("$orderby=status desc, $top=50", "runs?$orderby=status desc&$top=50"),
            ("endDateTime eq null, $top=50", "runs?$filter=endDateTime eq null&$top=50"),
            ("startDateTime in one day, $top=50", $"runs?$filter=startDateTime ge {day:yyyy-MM-dd}T00:00:00Z and startDateTime lt {day.AddDays(1):yyyy-MM-dd}T00:00:00Z&$top=50"),
            ("status eq 'failed' and startDateTime ge (30 days), $top=50", $"runs?$filter=status eq 'failed' and startDateTime ge {month:yyyy-MM-dd}T00:00:00Z&$top=50"),
            ("isof(outgoingFlowRun), $top=50", $"runs?$filter=isof('{Outgoing}')&$top=50"),
            ("status eq 'failed', $count=true, $top=50", "runs?$filter=status eq 'failed'&$count=true&$top=50"),
            ($"contains(displayName,'{Seeder.CommonWord}') (common), $top=50", $"runs?$filter=contains(displayName,'{Seeder.CommonWord}')&$top=50"),
            ($"contains(displayName,'{Seeder.RareWord}') (rare), $top=50", $"runs?$filter=contains(displayName,'{Seeder.RareWord}')&$top=50"),
            ("$apply=groupby((status),aggregate($count as n)) (whole table)", "runs?$apply=groupby((status),aggregate($count as n))"),
            ($"$search={Seeder.RareWord} (rare), $top=50", $"runs?$search={Seeder.RareWord}&$top=50"),
            ("date(startDateTime) eq one day, $top=50", $"runs?$filter=date(startDateTime) eq {day:yyyy-MM-dd}&$top=50"),
            ("year(startDateTime) eq Y and status eq 'failed', $top=50", $"runs?$filter=year(startDateTime) eq {day.Year} and status eq 'failed'&$top=50"),
            ("statistics/recordsFailed gt 0 and startDateTime ge (1 day), $top=50", $"runs?$filter=statistics/recordsFailed gt 0 and startDateTime ge {yesterday:yyyy-MM-dd}T00:00:00Z&$top=50"),
        ];
    }

    /// <summary>
    /// Name, then a list whose second page is measured: the first page is read with a page size of 1 and its
    /// @odata.nextLink (a $skiptoken cursor, pages of 100 from there) is the URL timed. None when the first page is the last.
    /// </summary>
    public static IReadOnlyList<(string Name, string FirstPage)> CursorPages(DateTime latest) =>
    [
        ("date(startDateTime) eq one day: a cursor page", $"runs?$filter=date(startDateTime) eq {latest.Date.AddDays(-10):yyyy-MM-dd}"),
        ("year(startDateTime) eq Y and status eq 'failed': a cursor page", $"runs?$filter=year(startDateTime) eq {latest.Date.AddDays(-10).Year} and status eq 'failed'"),
        ($"$search={Seeder.RareWord} (rare): a cursor page", $"runs?$search={Seeder.RareWord}"),
        ($"contains(displayName,'{Seeder.RareWord}') (rare): a cursor page", $"runs?$filter=contains(displayName,'{Seeder.RareWord}')"),
    ];
}
