using IndustryData.OData.Model.Errors;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Runs;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// Options nested in $select on the collection-valued <c>blockingError/details</c> (URL Conventions §5.1.3, 4.01
/// Advanced): <c>$select=blockingError/details($filter=code eq 'x';$orderby=code;$skip=1;$top=1;$count=true;$select=code)</c>.
/// The details are a bounded array inside one run, so they are applied to each run of the page after it is read, with the
/// same evaluation as <c>runs('id')/blockingError/details?$filter=…</c> (<see cref="DetailsQuery"/>); $count=true gives
/// <c>details@odata.count</c>, the number that pass $filter and $search. $compute inside is a 501.
/// </summary>
public static class NestedSelectOptions
{
    /// <summary>Applies the options nested on blockingError/details to every run (the values are output copies, never saved).</summary>
    public static void Apply(SelectExpandClause? clause, IEnumerable<Run> runs, IQueryCollection query)
    {
        var items = DetailsItems(clause, prefix: []).ToList();
        if (items.Count == 0)
        {
            return;
        }

        foreach (var item in items)
        {
            if (item.ComputeOption is not null)
            {
                throw QueryNotImplemented.For("$compute nested in $select on blockingError/details",
                    "Use $filter inside instead, e.g. $select=blockingError/details($filter=length(message) gt 10)", "$select");
            }
        }

        var queries = items.Where(HasOptions).Select(item => DetailsQuery.Nested(item, query)).ToList();
        foreach (var error in runs.Select(run => run.BlockingError).OfType<PublicError>())
        {
            foreach (var details in queries)
            {
                var filtered = details.Filtered(error.Details ?? []);
                var page = details.Page(filtered);
                error.Details = details.Count ? new CountedDetails(page, filtered.Count) : [.. page];
            }
        }
    }

    private static bool HasOptions(PathSelectItem item) =>
        item.FilterOption is not null || item.SearchOption is not null || item.OrderByOption is not null || item.TopOption is not null || item.SkipOption is not null || item.CountOption is not null;

    /// <summary>Select items that reach blockingError/details, directly (blockingError/details) or nested (blockingError($select=details(…))).</summary>
    private static IEnumerable<PathSelectItem> DetailsItems(SelectExpandClause? clause, IReadOnlyList<string> prefix)
    {
        if (clause is null)
        {
            yield break;
        }

        foreach (var item in clause.SelectedItems.OfType<PathSelectItem>())
        {
            var path = prefix.Concat(item.SelectedPath.OfType<PropertySegment>().Select(segment => segment.Property.Name)).ToList();
            if (path is ["blockingError", "details"])
            {
                yield return item;
            }
            else if (path is ["blockingError"])
            {
                foreach (var nested in DetailsItems(item.SelectAndExpand, path))
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>A page of details with the count of those that passed $filter, which the serializer writes as details@odata.count.</summary>
    private sealed class CountedDetails(IEnumerable<PublicErrorDetail> page, long count) : List<PublicErrorDetail>(page), ICountOptionCollection
    {
        public long? TotalCount => count;
    }
}
