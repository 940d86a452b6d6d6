using IndustryData.OData.Model.Edm;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Querying;
using IndustryData.OData.Service.Runs;
using IndustryData.OData.Service.Security;
using IndustryData.OData.Service.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding.Validation;
using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.AspNetCore.OData.Routing.Controllers;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IndustryData.OData.Service.Subscriptions;

/// <summary>
/// /subscriptions, Graph's shape (contract §11). Reading runs is enough to subscribe to them (Graph's rule); a caller
/// sees and changes only its own subscriptions: anyone else's is a 404, never a 403 that would confirm it exists.
/// </summary>
[Authorize(Policy = Permissions.ReadPolicy)]
public sealed class SubscriptionsController(RunsDbContext db, SubscriptionRules rules, SubscriptionFilter filters, ValidationHandshake handshake, WriteGate gate,
    IOptions<SubscriptionOptions> options, TimeProvider clock) : ODataController
{
    private static readonly IEdmStructuredType SubscriptionType = (IEdmStructuredType)IndustryDataEdm.Model.FindType(IndustryDataEdm.SubscriptionTypeName);

    public async Task<IActionResult> Get()
    {
        RejectQueryOptions();
        if (Request.ODataFeature().Path.LastSegment is CountSegment)
        {
            throw new ApiException(StatusCodes.Status501NotImplemented, "queryOptionNotSupported",
                "subscriptions/$count is not supported (Capabilities.CountRestrictions in $metadata): GET subscriptions lists all of yours.", "$count");
        }

        var owner = Callers.Qualified(User);
        var mine = await db.Subscriptions.AsNoTracking().Where(s => s.Owner == owner).OrderBy(s => s.Id).ToListAsync(Aborted);
        return Json(StatusCodes.Status200OK, SubscriptionJson.Collection(RunResponses.ServiceRoot(Request), mine));
    }

    public async Task<IActionResult> Get([ValidateNever] string key)
    {
        RejectQueryOptions();
        var subscription = await Own(key, tracked: false);
        return Json(StatusCodes.Status200OK, SubscriptionJson.Entity(RunResponses.ServiceRoot(Request), subscription, echoClientState: false));
    }

    public async Task<IActionResult> Post()
    {
        RejectQueryOptions();
        var subscription = rules.ReadCreate(await RequestBody.ReadJsonAsync(Request, Aborted));
        var resource = SubscriptionResource.Parse(subscription.Resource, out _);
        filters.Check(resource);
        var owner = Callers.Qualified(User);
        await RejectDuplicateAsync(owner, subscription);

        await handshake.ValidateAsync(subscription.NotificationUrl, "notificationUrl", Aborted);
        if (subscription.LifecycleNotificationUrl is { } lifecycleUrl)
        {
            await handshake.ValidateAsync(lifecycleUrl, "lifecycleNotificationUrl", Aborted);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        subscription.Id = Guid.CreateVersion7().ToString();
        subscription.Owner = owner;
        subscription.ApplicationId = User.FindFirst("azp")?.Value ?? User.FindFirst("appid")?.Value;
        subscription.CreatorId = User.FindFirst("oid")?.Value ?? User.FindFirst("sub")?.Value ?? subscription.ApplicationId;
        subscription.CreatedDateTime = now;
        subscription.NextAttemptAt = now;
        using (await gate.EnterAsync(db, Aborted))
        {
            // Changes committed before the subscription are not its business: it starts at the log's present end.
            subscription.DeliveredThrough = await HttpContext.RequestServices.GetRequiredService<NotificationLog>().HighWaterMarkAsync(Aborted);
            db.Subscriptions.Add(subscription);
            await db.SaveChangesAsync(Aborted);
        }

        HttpContext.RequestServices.GetRequiredService<NotificationDispatcher>().Wake();
        var link = $"{RunResponses.ServiceRoot(Request)}/subscriptions('{subscription.Id}')";
        Response.Headers.Location = link;
        Response.Headers["OData-EntityId"] = link;
        return Json(StatusCodes.Status201Created, SubscriptionJson.Entity(RunResponses.ServiceRoot(Request), subscription, echoClientState: true));
    }

    /// <summary>Renewal: a new expirationDateTime (and optionally a new notificationUrl, validated first).</summary>
    public async Task<IActionResult> Patch([ValidateNever] string key)
    {
        RejectQueryOptions();
        var (expiration, notificationUrl) = rules.ReadRenewal(await RequestBody.ReadJsonAsync(Request, Aborted));
        await Own(key, tracked: false);
        if (notificationUrl is not null)
        {
            await handshake.ValidateAsync(notificationUrl, "notificationUrl", Aborted);
        }

        SubscriptionRecord subscription;
        using (await gate.EnterAsync(db, Aborted))
        {
            subscription = await Own(key, tracked: true);
            subscription.ExpirationDateTime = expiration ?? subscription.ExpirationDateTime;
            subscription.NotificationUrl = notificationUrl ?? subscription.NotificationUrl;
            await db.SaveChangesAsync(Aborted);
        }

        return Json(StatusCodes.Status200OK, SubscriptionJson.Entity(RunResponses.ServiceRoot(Request), subscription, echoClientState: false));
    }

    public async Task<IActionResult> Delete([ValidateNever] string key)
    {
        RejectQueryOptions();
        using (await gate.EnterAsync(db, Aborted))
        {
            db.Subscriptions.Remove(await Own(key, tracked: true));
            await db.SaveChangesAsync(Aborted);
        }

        return NoContent();
    }

    private CancellationToken Aborted => HttpContext.RequestAborted;

    private async Task<SubscriptionRecord> Own(string key, bool tracked)
    {
        var owner = Callers.Qualified(User);
        var subscriptions = tracked ? db.Subscriptions : db.Subscriptions.AsNoTracking();
        return await subscriptions.FirstOrDefaultAsync(s => s.Id == key && s.Owner == owner, Aborted)
            ?? throw ApiException.NotFound($"You have no subscription with the id '{key}'. It may have expired or been deleted; list yours with GET {Hosting.ServiceRootPath.Of(HttpContext).Of("subscriptions")}.");
    }

    private async Task RejectDuplicateAsync(string owner, SubscriptionRecord subscription)
    {
        var existing = await db.Subscriptions.AsNoTracking().Where(s => s.Owner == owner)
            .Select(s => new { s.Id, s.Resource, s.ChangeTypes }).ToListAsync(Aborted);
        if (existing.FirstOrDefault(s => s.Resource == subscription.Resource && s.ChangeTypes == subscription.ChangeTypes) is { } twin)
        {
            throw new ApiException(StatusCodes.Status409Conflict, "subscriptionExists",
                $"You already have subscription '{twin.Id}' for {twin.Resource} with changeType {ChangeTypeNames.Format(twin.ChangeTypes)}. Renew it with PATCH, or delete it first.", "resource");
        }

        if (existing.Count >= options.Value.MaxPerCaller)
        {
            throw new ApiException(StatusCodes.Status403Forbidden, "subscriptionLimitReached",
                $"You have {existing.Count} subscriptions, the most one caller may have. Delete one you no longer need.");
        }
    }

    /// <summary>Only $format, and $expand=* (which changes nothing: <see cref="ExpandOption"/>), apply to subscriptions.</summary>
    private void RejectQueryOptions()
    {
        ExpandOption.Check(Request.Query, SubscriptionType);
        if (Request.Query.Keys.FirstOrDefault(key => key.StartsWith('$') && !key.Equals("$format", StringComparison.OrdinalIgnoreCase) && !ExpandOption.Is(key)) is { } option)
        {
            throw new ApiException(StatusCodes.Status501NotImplemented, "queryOptionNotSupported",
                $"{option} is not supported on subscriptions: a caller has few, and GET subscriptions lists them all.", option);
        }
    }

    private ContentResult Json(int status, byte[] body)
    {
        Response.Headers["OData-Version"] = "4.0";
        return new ContentResult { StatusCode = status, Content = System.Text.Encoding.UTF8.GetString(body), ContentType = "application/json; odata.metadata=minimal; odata.streaming=true" };
    }
}
