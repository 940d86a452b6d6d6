using System.Globalization;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Batch;
using IndustryData.OData.Service.Protocol;
using IndustryData.OData.Service.Security;
using IndustryData.OData.Service.Serialization;
using IndustryData.OData.Service.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Routing;

namespace IndustryData.OData.Service.Runs;

/// <summary>
/// The two hottest reads, answered on SQLite without endpoint routing, MVC and OData's URL parser — which cost a
/// by-key read more than its SQL (docs/performance.md): <c>GET runs('{id}')</c> and the first page
/// <c>GET runs?$top=N</c> (N ≤ the page size) with at most <c>$filter=status eq '{member}'</c>, exactly so spelled.
/// Anything else — another option or spelling, a Prefer, a precondition, an Accept other than JSON, HEAD, a $batch
/// part, a caller the read policy refuses, a run that is not there — goes on down the pipeline unchanged, where the
/// controller answers it (and writes the errors). The answer is the controller's, byte for byte
/// (<c>DirectRunReadsTests</c> compares them): the same reads (<see cref="SqliteRunReads"/>), writer
/// (<see cref="RunJsonResult"/>), policy and ETag; the controller's endpoint is set on the request so that traces
/// and metrics name the same route.
/// </summary>
public sealed class DirectRunReads(RequestDelegate next, PathString serviceRoot, SqliteRunReads reads, IAuthorizationService authorization, EndpointDataSource endpoints)
{
    /// <summary>On by default; false sends every read through the controller (the tests compare both).</summary>
    public const string Setting = "ODataApi:ReadsBeforeRouting";

    private const string ByKeyPrefix = "/runs('";
    private const string ByKeySuffix = "')";
    private const string ListPath = "/runs";
    private const string StatusFilterPrefix = "status eq '";

    private Endpoint? byKeyEndpoint;
    private Endpoint? listEndpoint;
    private bool endpointsFound;

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) || !request.Path.StartsWithSegments(serviceRoot, out var rest) || !IsPlain(context))
        {
            return next(context);
        }

        var path = rest.Value!;
        if (!request.QueryString.HasValue && Key(path) is { } key)
        {
            return ByKeyAsync(context, key);
        }

        return path == ListPath && FirstPage(request.Query) is { } page ? FirstPageAsync(context, page.Top, page.Status) : next(context);
    }

    private async Task ByKeyAsync(HttpContext context, string key)
    {
        if (!await MayReadAsync(context) || await reads.FindAsync(key, context.RequestAborted) is not { } run)
        {
            await next(context);
            return;
        }

        FindEndpoints();
        context.SetEndpoint(byKeyEndpoint);
        context.Response.Headers.ETag = RunETags.For(run);
        await RunJsonResult.Entity(StatusCodes.Status200OK, ContextRoot(context.Request) + "#runs/" + RunTypeNames.Of(run) + "/$entity", run).WriteAsync(context);
    }

    private async Task FirstPageAsync(HttpContext context, int top, RunStatus? status)
    {
        if (!await MayReadAsync(context))
        {
            await next(context);
            return;
        }

        // One row more than asked, as the list reads it; with $top within the page size a full page has no next link.
        var page = await reads.FirstPageAsync(status, top + 1, context.RequestAborted);
        if (page.Count > top)
        {
            page.RemoveAt(top);
        }

        FindEndpoints();
        context.SetEndpoint(listEndpoint);
        await RunJsonResult.Collection(ContextRoot(context.Request) + "#runs", page, count: null, nextLink: null).WriteAsync(context);
    }

    /// <summary>Nothing in the request that the controller's path would answer differently from the plain JSON written here.</summary>
    private static bool IsPlain(HttpContext context)
    {
        var headers = context.Request.Headers;
        return !headers.ContainsKey("Prefer") && headers.IfMatch.Count == 0 && headers.IfNoneMatch.Count == 0
            && headers.IfModifiedSince.Count == 0 && headers.IfUnmodifiedSince.Count == 0 && headers.AcceptCharset.Count == 0
            && !context.Items.ContainsKey(SubRequest.Marker) && RunOutput.AcceptsPlainJson(context.Request);
    }

    private async Task<bool> MayReadAsync(HttpContext context) =>
        (await authorization.AuthorizeAsync(context.User, resource: null, Permissions.ReadPolicy)).Succeeded;

    /// <summary>The id in /runs('{id}') when it is plain (letters, digits, '-', '_', '.'); null for any other path.</summary>
    private static string? Key(string path)
    {
        if (path.Length <= ByKeyPrefix.Length + ByKeySuffix.Length || !path.StartsWith(ByKeyPrefix, StringComparison.Ordinal) || !path.EndsWith(ByKeySuffix, StringComparison.Ordinal))
        {
            return null;
        }

        var key = path.AsSpan(ByKeyPrefix.Length, path.Length - ByKeyPrefix.Length - ByKeySuffix.Length);
        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return null;
            }
        }

        return key.ToString();
    }

    /// <summary>$top=N (1 ≤ N ≤ the page size, plain digits) and at most $filter=status eq '{member}', each once; null otherwise.</summary>
    private static (int Top, RunStatus? Status)? FirstPage(IQueryCollection query)
    {
        // Option names exactly as written here: other spellings (no $, other case) take the controller's path.
        if (query.Count is < 1 or > 2 || query.Keys.Any(name => name is not ("$top" or "$filter")) || !query.TryGetValue("$top", out var topValues) || topValues.Count != 1)
        {
            return null;
        }

        var topText = topValues[0]!;
        if (topText.Length is 0 or > 3 || topText[0] == '0' || !int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out var top) || top > Querying.RunQuery.DefaultPageSize)
        {
            return null;
        }

        if (query.Count == 1)
        {
            return (top, null);
        }

        if (!query.TryGetValue("$filter", out var filterValues) || filterValues.Count != 1 || filterValues[0] is not { } filter
            || !filter.StartsWith(StatusFilterPrefix, StringComparison.Ordinal) || !filter.EndsWith('\''))
        {
            return null;
        }

        var member = filter[StatusFilterPrefix.Length..^1];
        return RunStatusNames.ParseMemberName(member) is { } status ? (top, status) : null;
    }

    // Before routing there is no OData feature for CreateODataLink (RunOutput's way); the parity tests hold both to the same URL.
    private string ContextRoot(HttpRequest request) => string.Concat(request.Scheme, "://", request.Host.Value, request.PathBase.Value, serviceRoot.Value, "/$metadata");

    /// <summary>The controller's endpoints for runs({key}) and runs (GET), looked up once the routes exist.</summary>
    private void FindEndpoints()
    {
        if (endpointsFound)
        {
            return;
        }

        byKeyEndpoint = Find("runs({key})");
        listEndpoint = Find("runs");
        endpointsFound = true;
    }

    private Endpoint? Find(string template)
    {
        var prefix = serviceRoot.Value is { Length: > 0 } root ? root.TrimStart('/') + "/" : string.Empty;
        return endpoints.Endpoints.OfType<RouteEndpoint>().FirstOrDefault(endpoint =>
            endpoint.RoutePattern.RawText == prefix + template
            && endpoint.Metadata.GetMetadata<ControllerActionDescriptor>() is { ControllerName: "Runs", ActionName: "Get" }
            && endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Get) == true);
    }
}
