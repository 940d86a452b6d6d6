using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Protocol;
using IndustryData.OData.Service.Querying;
using Microsoft.AspNetCore.OData.Extensions;

namespace IndustryData.OData.Service.Runs;

/// <summary>
/// The query options of a create or update (OData Protocol §11.4.1.5 "Returning Results from Data Modification
/// Requests"): $select shapes the run returned, exactly as on GET; it implies return=representation unless the client
/// prefers return=minimal. $expand=* changes nothing, as on GET (<see cref="ExpandOption"/>): runs have no navigation
/// properties, so the response is the one without it. Options that shape a collection ($filter, $orderby, $top, $skip,
/// $count) have no collection to shape. All of it is checked before the write, so a bad option stores nothing.
/// </summary>
public static class RunWriteOptions
{
    private static readonly string[] CollectionOptions = ["filter", "orderby", "top", "skip", "count", "search", "skiptoken", "deltatoken"];

    /// <summary>Parses $select for the response (null when absent) and refuses what does not apply; sets it for the serializer.</summary>
    public static void Apply(HttpRequest request, Type runType)
    {
        if (!request.QueryString.HasValue)
        {
            return;
        }

        foreach (var key in request.Query.Keys)
        {
            if (CollectionOptions.Contains(key.TrimStart('$'), StringComparer.OrdinalIgnoreCase))
            {
                throw ApiException.BadRequest("queryOptionNotApplicable",
                    $"{key} shapes a collection, and a create or update returns one run. Leave it out; $select (e.g. ?$select=id,status) shapes the run returned.", key);
            }
        }

        request.ODataFeature().SelectExpandClause = RunQueryOptions.Parse(request, runType).Select;
    }

    /// <summary>$select on a write asks for the representation unless return=minimal says otherwise.</summary>
    public static bool WantsRepresentation(HttpRequest request) =>
        Preferences.ReturnRepresentation(request) || (!Preferences.ReturnMinimal(request) && request.ODataFeature().SelectExpandClause is not null);
}
