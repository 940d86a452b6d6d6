using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Querying;

namespace IndustryData.OData.Service.Changes;

/// <summary>
/// The query options a delta request may carry: <c>$select</c> (kept in every link), and the service's own
/// <c>$skiptoken</c> and <c>$deltatoken</c>. Anything else is a 400 that says what delta supports.
/// </summary>
public sealed class DeltaRequest
{
    private static readonly string[] Selectable = ["id", "displayName", "startDateTime", "endDateTime", "status", "blockingError", "statistics"];

    private DeltaRequest(string? select, IReadOnlySet<string>? selected, string? skipToken, string? deltaToken)
    {
        Select = select;
        Selected = selected;
        SkipToken = skipToken;
        DeltaToken = deltaToken;
    }

    /// <summary>$select as the client sent it.</summary>
    public string? Select { get; }

    public IReadOnlySet<string>? Selected { get; }

    public string? SkipToken { get; }

    public string? DeltaToken { get; }

    /// <summary>Whether a plain list request (GET /runs with Prefer: odata.track-changes) can be answered as delta.</summary>
    public static bool CanTrack(HttpRequest request) =>
        request.Query.Keys.All(key => key.TrimStart('$').Equals("select", StringComparison.OrdinalIgnoreCase) || ExpandOption.Is(key));

    /// <summary>The options of delta(); $expand=* is checked against the run type and left out of the links, as it changes nothing.</summary>
    public static DeltaRequest Parse(HttpRequest request, Microsoft.OData.Edm.IEdmStructuredType runType)
    {
        ExpandOption.Check(request.Query, runType);
        string? select = null, skipToken = null, deltaToken = null;
        foreach (var (key, values) in request.Query)
        {
            var name = "$" + key.TrimStart('$').ToLowerInvariant();
            if (values.Count > 1)
            {
                throw ApiException.BadRequest("duplicateQueryOption", $"{name} is given {values.Count} times; give it once.", name);
            }

            if (name == ExpandOption.Option)
            {
                continue;
            }

            switch (name)
            {
                case "$select":
                    select = values[0];
                    break;
                case Querying.SkipToken.Option:
                    skipToken = values[0];
                    break;
                case Changes.DeltaToken.Option:
                    deltaToken = values[0];
                    break;
                default:
                    throw ApiException.BadRequest("queryOptionNotSupportedOnDelta",
                        $"{key} is not supported on delta(). Delta takes $select (and $expand=*, which changes nothing) and the $skiptoken/$deltatoken of its own links; "
                        + "for one type use runs/microsoft.graph.industryData.outgoingFlowRun/delta(), and filter the changes you receive by status on your side.",
                        key);
            }
        }

        if (skipToken is not null && deltaToken is not null)
        {
            throw ApiException.BadRequest("invalidDeltaToken", "$skiptoken and $deltatoken cannot be combined: follow the links exactly as the service returned them.", Changes.DeltaToken.Option);
        }

        return new DeltaRequest(select, ParseSelect(select), skipToken, deltaToken);
    }

    private static HashSet<string>? ParseSelect(string? select)
    {
        if (select is null || select.Trim() == "*")
        {
            return null;
        }

        var selected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in select.Split(',', StringSplitOptions.TrimEntries))
        {
            var property = item.StartsWith(Model.Edm.IndustryDataEdm.Namespace + ".", StringComparison.Ordinal) ? item[(item.IndexOf('/', StringComparison.Ordinal) + 1)..] : item;
            if (!Selectable.Contains(property, StringComparer.Ordinal))
            {
                throw ApiException.BadRequest("invalidQueryOption",
                    $"$select names '{item}', which is not a property of run. Select from: {string.Join(", ", Selectable)}.", "$select");
            }

            selected.Add(property);
        }

        return selected;
    }
}
