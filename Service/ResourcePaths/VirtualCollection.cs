using System.Text.Json;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Querying;
using IndustryData.OData.Service.Runs;
using IndustryData.OData.Service.Serialization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.ResourcePaths;

/// <summary>
/// A collection that is not an entity set but holds runs: $all (OData URL Conventions §4.14) or $crossjoin(runs)
/// (§4.15). The request is answered by the runs list — same query, same index, same $skiptoken cursor — and written
/// in the collection's own shape (OData JSON Format §10.19, §10.20): $all as Collection(Edm.EntityType), each run with
/// its own context URL; $crossjoin as Collection(Edm.ComplexType), a row per run holding it under the set's name,
/// inline or as its entity reference as $expand asks (<see cref="CrossJoinExpand"/>), otherwise as a navigation link;
/// on $all, $expand=* changes nothing (runs have no navigation properties). Next links repeat the URL the client sent.
/// </summary>
public sealed class VirtualCollection
{
    private VirtualCollection(bool isCrossJoin, CrossJoinExpand expand, string originalPath, QueryString originalQuery)
    {
        IsCrossJoin = isCrossJoin;
        Expand = expand;
        OriginalPath = originalPath;
        OriginalQuery = originalQuery;
    }

    public bool IsCrossJoin { get; }

    /// <summary>$crossjoin's $expand: whether a row holds the run itself, its reference, or a navigation link.</summary>
    internal CrossJoinExpand Expand { get; }

    public string OriginalPath { get; }

    public QueryString OriginalQuery { get; }

    public static VirtualCollection? Of(HttpContext context) =>
        context.Items.TryGetValue(typeof(VirtualCollection), out var value) ? value as VirtualCollection : null;

    public static void All(HttpContext context, string originalPath, QueryString originalQuery) =>
        context.Items[typeof(VirtualCollection)] = new VirtualCollection(false, CrossJoinExpand.None, originalPath, originalQuery);

    internal static void CrossJoin(HttpContext context, CrossJoinExpand expand, string originalPath, QueryString originalQuery) =>
        context.Items[typeof(VirtualCollection)] = new VirtualCollection(true, expand, originalPath, originalQuery);

    public IActionResult Result(HttpRequest request, IReadOnlyList<Run> page)
    {
        var feature = request.ODataFeature();
        return new Writer(this, page, Selected(feature.SelectExpandClause), feature.TotalCount, NextLink(request, feature.NextLink));
    }

    /// <summary>The top-level properties $select names (null: all); nested selections are not written in this shape.</summary>
    private static HashSet<string>? Selected(SelectExpandClause? clause)
    {
        if (clause is null || clause.AllSelected)
        {
            return null;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in clause.SelectedItems)
        {
            if (item is WildcardSelectItem)
            {
                return null;
            }

            var path = item is PathSelectItem selected ? selected.SelectedPath.Where(segment => segment is not TypeSegment).ToList() : null;
            if (path is not { Count: 1 } || item is PathSelectItem { FilterOption: not null } or PathSelectItem { OrderByOption: not null }
                || item is PathSelectItem { TopOption: not null } or PathSelectItem { SkipOption: not null } or PathSelectItem { CountOption: not null })
            {
                throw QueryNotImplemented.For("$select of a value inside a property on $all and $crossjoin", "Select whole properties there (e.g. $select=blockingError), or read runs with the nested $select", "$select");
            }

            names.Add(path[0].Identifier);
        }

        return names;
    }

    /// <summary>The next link of the runs list, as the URL the client sent with the list's $skiptoken and remaining $top.</summary>
    private Uri? NextLink(HttpRequest request, Uri? listNextLink)
    {
        if (listNextLink is null)
        {
            return null;
        }

        var next = QueryHelpers.ParseQuery(listNextLink.Query);
        var paging = new[] { "$top", SkipToken.Option }
            .Where(next.ContainsKey)
            .Select(option => new KeyValuePair<string, string>(option, next[option].ToString()));
        return QueryText.WithPaging(request, OriginalPath, OriginalQuery, paging);
    }

    private sealed class Writer(VirtualCollection collection, IReadOnlyList<Run> page, HashSet<string>? selected, long? count, Uri? nextLink) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var request = context.HttpContext.Request;
            var root = RunResponses.ServiceRoot(request);
            using var buffer = new PooledBufferWriter(16 * 1024);
            using (var writer = new Utf8JsonWriter(buffer, RunJsonWriter.Options))
            {
                RunJsonWriter.WriteCollectionStart(writer, root + "/$metadata#Collection(" + (collection.IsCrossJoin ? "Edm.ComplexType" : "Edm.EntityType") + ")", count);
                foreach (var run in page)
                {
                    if (!collection.IsCrossJoin)
                    {
                        var select = selected is null ? string.Empty : "(" + string.Join(',', selected) + ")";
                        RunJsonWriter.WriteEntity(writer, $"{root}/$metadata#runs/{RunTypeNames.Of(run)}{select}/$entity", run, selected);
                        continue;
                    }

                    writer.WriteStartObject();
                    var link = RunResponses.EntityLink(request, run)[(root.Length + 1)..];
                    switch (collection.Expand.Applies(run) ? collection.Expand.Shape : CrossJoinExpand.Form.Link)
                    {
                        case CrossJoinExpand.Form.Inline:
                            writer.WritePropertyName("runs"u8);
                            RunJsonWriter.WriteCollectionItem(writer, run, selected);
                            break;
                        case CrossJoinExpand.Form.Reference:
                            writer.WriteStartObject("runs"u8);
                            writer.WriteString("@odata.id"u8, link);
                            writer.WriteEndObject();
                            break;
                        default:
                            writer.WriteString("runs@odata.navigationLink"u8, link);
                            break;
                    }

                    writer.WriteEndObject();
                }

                RunJsonWriter.WriteCollectionEnd(writer, nextLink);
            }

            var response = context.HttpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = RunJsonResult.ContentType;
            response.Headers["OData-Version"] = "4.0";
            response.ContentLength = buffer.WrittenCount;
            await response.Body.WriteAsync(buffer.WrittenMemory, context.HttpContext.RequestAborted);
        }
    }
}
