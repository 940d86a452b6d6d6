using System.Text;
using Microsoft.AspNetCore.Http.Extensions;

namespace IndustryData.OData.Service.ResourcePaths;

/// <summary>Reading and rebuilding a query string while keeping its options as the client named them ($filter or filter).</summary>
internal static class QueryText
{
    /// <summary>The key of a system query option as the request spells it ($filter or, in 4.01, filter), or null.</summary>
    public static string? KeyOf(IQueryCollection query, string option) =>
        query.Keys.FirstOrDefault(key => key.TrimStart('$').Equals(option, StringComparison.OrdinalIgnoreCase));

    public static bool IsOption(string key, params string[] options) =>
        options.Contains(key.TrimStart('$'), StringComparer.OrdinalIgnoreCase);

    public static QueryString Build(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            text.Append(text.Length == 0 ? '?' : '&');
            text.Append(key.StartsWith('$') ? "$" + Uri.EscapeDataString(key[1..]) : Uri.EscapeDataString(key));
            text.Append('=').Append(Uri.EscapeDataString(value));
        }

        return new QueryString(text.Length == 0 ? null : text.ToString());
    }

    /// <summary>The URL the client sent (<paramref name="path"/>, <paramref name="query"/>) with its paging options ($top, $skip, $skiptoken) replaced by <paramref name="paging"/>.</summary>
    public static Uri WithPaging(HttpRequest request, string path, QueryString query, IEnumerable<KeyValuePair<string, string>> paging)
    {
        var kept = Pairs(new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query.Value)))
            .Where(pair => !IsOption(pair.Key, "skip", "top", "skiptoken"))
            .Concat(paging);
        return new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{path}{Build(kept)}");
    }

    public static IEnumerable<KeyValuePair<string, string>> Pairs(IQueryCollection query) =>
        query.SelectMany(option => option.Value.Select(value => new KeyValuePair<string, string>(option.Key, value ?? string.Empty)));
}
