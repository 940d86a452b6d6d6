using IndustryData.OData.Service.Errors;

namespace IndustryData.OData.Service.Batch;

/// <summary>
/// Resolves a part's URL: relative to the service root ("runs"), with a leading slash ("/runs"), absolute
/// ("http://host/runs"), or starting with a reference to an earlier part ("$1" → that part's Location).
/// Under a route prefix a leading slash is read both ways: "/v1.0/runs" from the host's root, and "/runs", which does
/// not start with the service root, against the service root — as Microsoft Graph reads it, and its SDKs write it.
/// </summary>
internal static class BatchUrls
{
    public static (PathString Path, QueryString Query) Resolve(string url, PathString serviceRoot, IReadOnlyDictionary<string, string> locations, string target)
    {
        if (url.StartsWith('$') && !url.StartsWith("$metadata", StringComparison.Ordinal) && !url.StartsWith("$batch", StringComparison.Ordinal))
        {
            var end = url.IndexOfAny(['/', '?']);
            var reference = end < 0 ? url[1..] : url[1..end];
            if (!locations.TryGetValue(reference, out var location))
            {
                throw ApiException.BadRequest("invalidReference",
                    $"'{url}' refers to '${reference}', but no earlier request with that id created anything. Reference only earlier requests of the same batch that returned a Location.",
                    target);
            }

            url = location + (end < 0 ? string.Empty : url[end..]);
        }

        string pathAndQuery;
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps))
        {
            pathAndQuery = absolute.PathAndQuery;
        }
        else if (url.StartsWith('/'))
        {
            pathAndQuery = IsUnder(url, serviceRoot) ? url : serviceRoot.Value + url;
        }
        else
        {
            pathAndQuery = serviceRoot.Add("/" + url).Value!;
        }

        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? pathAndQuery : pathAndQuery[..question];
        var query = question < 0 ? string.Empty : pathAndQuery[question..];
        return (new PathString(Uri.UnescapeDataString(path)), new QueryString(query));
    }

    private static bool IsUnder(string url, PathString serviceRoot)
    {
        var end = url.IndexOfAny(['?', '#']);
        return new PathString(end < 0 ? url : url[..end]).StartsWithSegments(serviceRoot);
    }
}
