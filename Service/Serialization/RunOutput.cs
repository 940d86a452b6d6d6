using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Protocol;
using IndustryData.OData.Service.Runs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Extensions;

namespace IndustryData.OData.Service.Serialization;

/// <summary>
/// How runs go out. The common response — minimal metadata, every property, no $format, no charset or IEEE754
/// negotiation, only preferences that do not change the payload — is written by <see cref="RunJsonWriter"/>;
/// anything else goes through the OData serializer, which handles every variation. Both write OData 4.0 whatever
/// version the client allows (<see cref="ODataVersionCheck"/>). Setting ODataApi:RunJsonWriter to false sends
/// everything through the OData serializer.
/// </summary>
public sealed class RunOutput(bool handWritten)
{
    private static readonly HashSet<string> PlainQueryOptions = new(StringComparer.OrdinalIgnoreCase) { "top", "skip", "filter", "orderby", "count" };
    private static readonly HashSet<string> PlainAccept = new(StringComparer.OrdinalIgnoreCase)
    {
        "*/*", "application/*", "application/json", "application/json;odata.metadata=minimal",
    };

    private static readonly HashSet<string> PlainPreferences = new(StringComparer.OrdinalIgnoreCase) { "return", "odata.maxpagesize", "maxpagesize", "odata.continue-on-error", "continue-on-error" };

    public bool HandWritten => handWritten;

    public IActionResult Entity(HttpRequest request, Run run, int status) => IsPlain(request)
        ? RunJsonResult.Entity(status, ContextRoot(request) + "#runs/" + RunTypeNames.Of(run) + "/$entity", run)
        : new ObjectResult(run) { StatusCode = status };

    public IActionResult Collection<T>(HttpRequest request, IReadOnlyList<T> page)
        where T : Run
    {
        if (!IsPlain(request))
        {
            return new OkObjectResult(page);
        }

        var feature = request.ODataFeature();
        var context = ContextRoot(request) + (typeof(T) == typeof(Run) ? "#runs" : "#runs/" + RunTypeNames.Of(typeof(T)));
        return RunJsonResult.Collection(context, page, feature.TotalCount, feature.NextLink);
    }

    private bool IsPlain(HttpRequest request)
    {
        if (!handWritten || request.ODataFeature().SelectExpandClause is not null || request.Headers.AcceptCharset.Count > 0)
        {
            return false;
        }

        foreach (var key in request.Query.Keys)
        {
            if (!PlainQueryOptions.Contains(key.StartsWith('$') ? key[1..] : key))
            {
                return false;
            }
        }

        foreach (var name in Preferences.Names(request))
        {
            if (!PlainPreferences.Contains(name))
            {
                return false;
            }
        }

        return AcceptsPlainJson(request);
    }

    /// <summary>No Accept, or only ranges that OData JSON with minimal metadata answers as written by <see cref="RunJsonWriter"/>.</summary>
    public static bool AcceptsPlainJson(HttpRequest request)
    {
        foreach (var header in request.Headers.Accept)
        {
            foreach (var range in (header ?? string.Empty).Split(','))
            {
                if (!PlainAccept.Contains(range.Replace(" ", string.Empty, StringComparison.Ordinal)))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static string ContextRoot(HttpRequest request) => RunResponses.ServiceRoot(request) + "/$metadata";
}
