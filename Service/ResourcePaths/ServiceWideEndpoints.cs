using System.Globalization;
using System.Text.Json;
using IndustryData.OData.Model.Edm;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Hosting;
using IndustryData.OData.Service.Protocol;
using IndustryData.OData.Service.Querying;
using IndustryData.OData.Service.Runs;
using IndustryData.OData.Service.Security;
using IndustryData.OData.Service.Serialization;
using IndustryData.OData.Service.Storage;
using IndustryData.OData.Service.Subscriptions;

namespace IndustryData.OData.Service.ResourcePaths;

/// <summary>
/// The endpoints of <see cref="ServiceWideRequest"/>: $all as Collection(Edm.EntityType), each entity with its own
/// context URL (its entity set cannot be told from the collection's, OData JSON Format §10.1) and @odata.type; the
/// cross join as Collection(Edm.ComplexType), one member per joined set, inline when expanded, else a navigation link
/// (OData URL Conventions §4.14). Paged by a cursor in $skiptoken; next links repeat the URL the client sent.
/// </summary>
public static class ServiceWideEndpoints
{
    public static void MapServiceWideCollections(this IEndpointRouteBuilder endpoints, PathString serviceRoot)
    {
        foreach (var path in new[] { ServiceWideRequest.AllPath, ServiceWideRequest.CrossJoinPath })
        {
            endpoints.MapMethods(serviceRoot.Add(path).Value!, [HttpMethods.Get, HttpMethods.Head], ReadAsync).RequireAuthorization(Permissions.ReadPolicy);
        }
    }

    private static async Task ReadAsync(HttpContext context)
    {
        var request = ServiceWideRequest.Of(context)
            ?? throw ApiException.NotFound($"'{context.Request.Path}' is not a resource of this service. All entities are $all; a cross join is $crossjoin(runs) or $crossjoin(runs,subscriptions).");
        var sets = new ServiceWideSets(context.RequestServices.GetRequiredService<RunsDbContext>(), Callers.Qualified(context.User));
        using var budget = context.RequestServices.GetRequiredService<StatementBudgets>().Start(context.Request, context.RequestAborted);
        try
        {
            await WriteAsync(context, request, sets, budget.Token);
        }
        catch (Exception exception) when (budget.IsExceeded(exception))
        {
            // Every page is a seek on a key; only counting every run can take long on a large table.
            throw budget.TooExpensive(request.Count || request.CountSegment ? "$count" : request.Resource,
                $"Leave $count out of {request.Resource}, or send the request with Prefer: respond-async, which has a longer budget.");
        }
    }

    private static async Task WriteAsync(HttpContext context, ServiceWideRequest request, ServiceWideSets sets, CancellationToken aborted)
    {
        context.Response.Headers["OData-Version"] = ResponseVersion.V40;
        if (request.CountSegment)
        {
            ResponseFormat.Negotiate(context.Request, request.Resource + "/$count", ResponseFormat.TextPlain);
            var total = await CountAsync(request, sets, aborted);
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(total.ToString(CultureInfo.InvariantCulture), aborted);
            return;
        }

        ResponseFormat.Negotiate(context.Request, request.Resource, ResponseFormat.ODataJson);
        var take = request.PageSize(context.Request);
        long? count = request.Count ? await CountAsync(request, sets, aborted) : null;
        var root = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{ServiceRootPath.Of(context).Path}";
        using var buffer = new PooledBufferWriter(16 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, RunJsonWriter.Options))
        {
            string? token;
            if (request.IsCrossJoin)
            {
                RunJsonWriter.WriteCollectionStart(writer, root + "/$metadata#Collection(Edm.ComplexType)", count);
                var rows = await CrossJoinPage.ReadAsync(request, sets, take + 1, aborted);
                foreach (var row in rows.Take(take))
                {
                    WriteRow(writer, request, row);
                }

                token = rows.Count > take && take > 0 ? CrossJoinPage.Token(request, rows[take - 1]) : null;
            }
            else
            {
                RunJsonWriter.WriteCollectionStart(writer, root + "/$metadata#Collection(Edm.EntityType)", count);
                var entities = await AllEntitiesPage.ReadAsync(request, sets, take + 1, aborted);
                foreach (var entity in entities.Take(take))
                {
                    WriteEntity(writer, root, entity);
                }

                token = entities.Count > take && take > 0 ? AllEntitiesPage.Token(request, entities[take - 1]) : null;
            }

            RunJsonWriter.WriteCollectionEnd(writer, NextLink(context.Request, request, token, take));
        }

        if (Preferences.MaxPageSize(context.Request) is { } applied)
        {
            Preferences.AppliedAsStated(context, "maxpagesize", applied);
        }

        context.Response.ContentType = RunJsonResult.ContentType;
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, aborted);
    }

    private static async Task<long> CountAsync(ServiceWideRequest request, ServiceWideSets sets, CancellationToken cancellationToken)
    {
        if (request.IsCrossJoin)
        {
            return await CrossJoinPage.CountAsync(sets, cancellationToken);
        }

        var total = 0L;
        foreach (var set in request.Sets)
        {
            total += await sets.CountAsync(set, cancellationToken);
        }

        return total;
    }

    private static void WriteEntity(Utf8JsonWriter writer, string root, object entity)
    {
        if (entity is Run run)
        {
            RunJsonWriter.WriteEntity(writer, $"{root}/$metadata#runs/{RunTypeNames.Of(run)}/$entity", run, null);
        }
        else
        {
            SubscriptionJson.WriteItem(writer, $"{root}/$metadata#{IndustryDataEdm.SubscriptionsEntitySetName}/$entity", (SubscriptionRecord)entity);
        }
    }

    private static void WriteRow(Utf8JsonWriter writer, ServiceWideRequest request, CrossJoinRow row)
    {
        writer.WriteStartObject();
        foreach (var set in request.Sets)
        {
            var expanded = request.Expanded.Contains(set);
            if (set == ServiceWideSets.Runs && expanded)
            {
                writer.WritePropertyName(set);
                RunJsonWriter.WriteCollectionItem(writer, row.Run!, null);
            }
            else if (expanded)
            {
                writer.WritePropertyName(set);
                SubscriptionJson.WriteItem(writer, null, row.Subscription);
            }
            else
            {
                var key = set == ServiceWideSets.Runs ? row.RunId : row.Subscription.Id;
                writer.WriteString(set + "@odata.navigationLink", $"{set}('{Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal))}')");
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>The URL the client sent, with the cursor in $skiptoken (in place of $skip) and what is left of $top.</summary>
    private static Uri? NextLink(HttpRequest http, ServiceWideRequest request, string? token, int take)
    {
        if (token is null || request.Top <= take)
        {
            return null;
        }

        var paging = new List<KeyValuePair<string, string>>();
        if (request.Top is { } top)
        {
            paging.Add(new("$top", (top - take).ToString(CultureInfo.InvariantCulture)));
        }

        paging.Add(new(SkipToken.Option, token));
        return QueryText.WithPaging(http, request.OriginalPath, request.OriginalQuery, paging);
    }
}
