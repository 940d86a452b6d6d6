using IndustryData.OData.Model.Edm;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Changes;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Hosting;
using IndustryData.OData.Service.Idempotency;
using IndustryData.OData.Service.Protocol;
using IndustryData.OData.Service.Querying;
using IndustryData.OData.Service.ResourcePaths;
using IndustryData.OData.Service.Storage;
using IndustryData.OData.Service.Security;
using IndustryData.OData.Service.Serialization;
using IndustryData.OData.Service.Telemetry;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding.Validation;
using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.AspNetCore.OData.Routing.Controllers;
using Microsoft.EntityFrameworkCore;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Runs;

/// <summary>
/// The runs entity set. The set's actions follow ASP.NET Core OData's routing conventions: Get/Post (set) and
/// GetFrom{type}/PostFrom{type} (type-cast set; the type part must spell the EDM name exactly, lower camel case).
/// The key actions (Get, Put, Patch, Delete and GetProperty) answer every URL form of one run, routed by
/// <see cref="RunRoutingConvention"/>; a type cast in the URL, if any, is read from the OData path.
/// Updates and deletes read the run and write it back within one write turn (<see cref="WriteGate"/>), so on one
/// instance a write without If-Match never loses to another in between; across instances the version guards it.
/// </summary>
[Authorize(Policy = Permissions.ReadPolicy)]
public sealed class RunsController(RunsDbContext db, RunQuery query, RunInsertQueue inserts, IdempotentCreates keyedCreates, WriteGate gate, RunOutput output) : ODataController
{
    private static readonly string[] QueryOptionsOfRuns = ["select", "filter", "orderby", "top", "skip", "count"];

    public Task<IActionResult> Get() => List<Run>();

    public Task<IActionResult> GetFromoutgoingFlowRun() => List<OutgoingFlowRun>();

    public Task<IActionResult> GetFromincomingFlowRun() => List<IncomingFlowRun>();

    public async Task<IActionResult> Get([ValidateNever] string key) =>
        RunResponses.Read(this, output, await Single(key));

    /// <summary>runs('…')/{property}: the value, 204 when it is null; /$value answers a primitive as text/plain. ETag and If-None-Match as on the run.</summary>
    public async Task<IActionResult> GetProperty([ValidateNever] string key)
    {
        RejectQueryOptionsOfRuns();
        var run = await Single(key);
        Response.Headers.ETag = RunETags.For(run);
        if (RunETags.IsNotModified(Request, run))
        {
            return StatusCode(StatusCodes.Status304NotModified);
        }

        var path = Request.ODataFeature().Path;
        Request.ODataFeature().SelectExpandClause = null;
        return RunPath.PropertyValue(path, run) switch
        {
            null => NoContent(),
            RunStatus status when RunPath.IsRawValue(path) => Ok(RunStatusNames.ToWireName(status)),
            var value => Ok(value),
        };
    }

    /// <summary>
    /// runs('…')/blockingError/…, runs('…')/statistics/{member}/…: a value inside a complex property (<see cref="RunValuePath"/>),
    /// 204 when it is null; the typed collection blockingError/details takes its own query options (<see cref="DetailsQuery"/>).
    /// </summary>
    public async Task<IActionResult> GetValue([ValidateNever] string key)
    {
        var path = Request.ODataFeature().Path;
        DetailsQuery? details = null;
        if (RunValuePath.IsDetails(path))
        {
            details = DetailsQuery.Parse(Request.Query);
        }
        else
        {
            RejectQueryOptionsOfRuns();
        }

        var run = await Untracked(key);
        Response.Headers.ETag = RunETags.For(run);
        if (RunETags.IsNotModified(Request, run))
        {
            return StatusCode(StatusCodes.Status304NotModified);
        }

        var value = RunValuePath.Resolve(path, run);
        return value.Value is null ? NoContent() : new RunValueResult(value, details, RunResponses.ServiceRoot(Request));
    }

    /// <summary>
    /// PUT, PATCH and DELETE of runs('…')/{property}, …/{property}/$value and values inside complex properties
    /// (<see cref="RunPropertyWrite"/>): an update of the run, validated as a PATCH of it, with If-Match/If-None-Match and
    /// a new ETag; 204, or 200 with the value when the client prefers return=representation (not for DELETE).
    /// </summary>
    [Authorize(Policy = Permissions.WritePolicy)]
    public async Task<IActionResult> WriteProperty([ValidateNever] string key)
    {
        var path = Request.ODataFeature().Path;
        var write = RunPropertyWrite.Of(path, Request.Method);
        RejectQueryOptionsOfRuns();
        var value = write.ReadValue(write.HasBody ? await write.ReadBodyAsync(Request, RequestAborted) : default);
        using var turn = await gate.EnterAsync(db, RequestAborted);
        var run = await Tracked(key);
        RunRules.SetProperty(write.Apply(run, value), run, write.Replaces);
        RunETags.CheckWrite(Request, run);
        await db.SaveChangesAsync(RequestAborted);
        ChangeMetrics.Updated(run);
        Response.Headers.ETag = RunETags.For(run);
        if (write.HasBody && Preferences.ReturnRepresentation(Request))
        {
            Preferences.Applied(HttpContext, "return=representation");
            var written = RunValuePath.Resolve(path, run);
            return written.Value is null ? NoContent() : new RunValueResult(written, null, RunResponses.ServiceRoot(Request));
        }

        if (Preferences.ReturnMinimal(Request))
        {
            Preferences.Applied(HttpContext, "return=minimal");
        }

        return NoContent();
    }

    /// <summary>GET runs/delta() and runs/{type cast}/delta(): change tracking, see <see cref="DeltaQuery"/>.</summary>
    [HttpGet]
    [ActionName("delta")]
    public Task<IActionResult> Delta() => Request.ODataFeature().Path.OfType<TypeSegment>().LastOrDefault()?.EdmType.AsElementType().FullTypeName() switch
    {
        IndustryDataEdm.OutgoingFlowRunTypeName => Changes<OutgoingFlowRun>(Request.Path),
        IndustryDataEdm.IncomingFlowRunTypeName => Changes<IncomingFlowRun>(Request.Path),
        _ => Changes<Run>(Request.Path),
    };

    [Authorize(Policy = Permissions.WritePolicy)]
    public Task<IActionResult> Post() => Create(null, null);

    [Authorize(Policy = Permissions.WritePolicy)]
    public Task<IActionResult> PostFromoutgoingFlowRun() =>
        Create(typeof(OutgoingFlowRun), IndustryDataEdm.OutgoingFlowRunTypeName);

    [Authorize(Policy = Permissions.WritePolicy)]
    public Task<IActionResult> PostFromincomingFlowRun() =>
        Create(typeof(IncomingFlowRun), IndustryDataEdm.IncomingFlowRunTypeName);

    [Authorize(Policy = Permissions.WritePolicy)]
    public async Task<IActionResult> Put([ValidateNever] string key)
    {
        RunWriteOptions.Apply(Request, RunPath.CastType(Request.ODataFeature().Path));
        var payload = RunPayloadReader.Read(await RequestBody.ReadJsonAsync(Request, RequestAborted));
        using var turn = await gate.EnterAsync(db, RequestAborted);
        var run = await Tracked(key, payload);
        RunRules.Replace(payload, run);
        RunETags.CheckWrite(Request, run);
        await db.SaveChangesAsync(RequestAborted);
        ChangeMetrics.Updated(run);
        return RunResponses.Updated(this, output, run);
    }

    [Authorize(Policy = Permissions.WritePolicy)]
    public async Task<IActionResult> Patch([ValidateNever] string key)
    {
        RunWriteOptions.Apply(Request, RunPath.CastType(Request.ODataFeature().Path));
        var payload = RunPayloadReader.Read(await RequestBody.ReadJsonAsync(Request, RequestAborted));
        using var turn = await gate.EnterAsync(db, RequestAborted);
        var run = await Tracked(key, payload);
        RunRules.Update(payload, run);
        RunETags.CheckWrite(Request, run);
        await db.SaveChangesAsync(RequestAborted);
        ChangeMetrics.Updated(run);
        return RunResponses.Updated(this, output, run);
    }

    [Authorize(Policy = Permissions.WritePolicy)]
    public async Task<IActionResult> Delete([ValidateNever] string key)
    {
        using var turn = await gate.EnterAsync(db, RequestAborted);
        var run = await Tracked(key);
        RunETags.CheckWrite(Request, run);
        db.Runs.Remove(run);
        await db.SaveChangesAsync(RequestAborted);
        ChangeMetrics.Deleted(run);
        return NoContent();
    }

    /// <summary>$select, $filter, $orderby, $top, $skip and $count shape runs, not the value of one property; $expand=* may stay on a complex value.</summary>
    private void RejectQueryOptionsOfRuns()
    {
        ExpandOption.CheckOnValue(Request.Query, Request.ODataFeature().Path);
        foreach (var key in Request.Query.Keys)
        {
            var name = key.TrimStart('$');
            if (QueryOptionsOfRuns.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw ApiException.BadRequest("queryOptionNotApplicable",
                    $"{key} does not apply to a single property. Leave it out, or read the run with it (e.g. GET runs('…')?$select=displayName,status).", key);
            }
        }
    }

    // Read from the context rather than bound as an action parameter: one model-binding pass less per request.
    private CancellationToken RequestAborted => HttpContext.RequestAborted;

    // Resolved by the writes only: reads do not pay for it.
    private RunChangeMetrics ChangeMetrics => HttpContext.RequestServices.GetRequiredService<RunChangeMetrics>();

    private async Task<IActionResult> List<T>()
        where T : Run
    {
        if (ApplyQuery.Requested(Request))
        {
            // $apply (Data Aggregation): its own translation, see ApplyQuery.
            var apply = HttpContext.RequestServices.GetRequiredService<ApplyQuery>();
            return Request.ODataFeature().Path.LastSegment is CountSegment
                ? Ok(await apply.CountAsync<T>(Request, RequestAborted))
                : await apply.ListAsync<T>(Request, RequestAborted);
        }

        if (Request.ODataFeature().Path.LastSegment is CountSegment)
        {
            return Ok(await query.CountAsync<T>(Request, RequestAborted));
        }

        var virtualCollection = VirtualCollection.Of(HttpContext);
        if (virtualCollection is null && Preferences.TrackChanges(Request) && DeltaRequest.CanTrack(Request))
        {
            // OData's own way to ask for change tracking: the answer is delta()'s first page.
            Preferences.AppliedAsStated(HttpContext, "track-changes");
            return await Changes<T>(Request.Path.Add("/delta()"));
        }

        var page = await query.ListAsync<T>(Request, RequestAborted);
        return virtualCollection is null ? output.Collection(Request, page) : virtualCollection.Result(Request, page);
    }

    private async Task<IActionResult> Changes<T>(PathString deltaPath)
        where T : Run
    {
        var delta = HttpContext.RequestServices.GetRequiredService<DeltaQuery>();
        var page = await delta.PageAsync<T>(Request, deltaPath, RequestAborted);
        return new DeltaResult(page, DeltaResult.ContextUrl(Request, typeof(T), page.Selected));
    }

    /// <summary>The run the URL addresses, untracked, with $select applied on output; 404 if there is none of the URL's type.</summary>
    private async Task<Run> Single(string key)
    {
        var type = RunPath.CastType(Request.ODataFeature().Path);
        var run = await query.FindAsync<Run>(Request, key, RequestAborted);
        return run is not null && type.IsInstanceOfType(run) ? run : throw RunNotFound(type, key);
    }

    /// <summary>The run the URL addresses, read without its query options (they belong to a value inside it); 404 if there is none of the URL's type.</summary>
    private async Task<Run> Untracked(string key)
    {
        var type = RunPath.CastType(Request.ODataFeature().Path);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(run => run.Id == key, RequestAborted);
        return run is not null && type.IsInstanceOfType(run) ? run : throw RunNotFound(type, key);
    }

    private async Task<IActionResult> Create(Type? castType, string? castTypeName)
    {
        var key = IdempotencyKeyHeader.Read(Request);
        RunWriteOptions.Apply(Request, castType ?? typeof(Run));
        var body = await RequestBody.ReadJsonAsync(Request, RequestAborted);
        var run = RunRules.Create(RunPayloadReader.Read(body), castType, castTypeName, ServiceRootPath.Of(HttpContext));
        run.Id = Guid.CreateVersion7().ToString();
        if (key is not null)
        {
            var (stored, replayed) = await keyedCreates.CreateAsync(db, IdempotentRequest.For(Request, key, body.Span), run, RequestAborted);
            if (replayed)
            {
                Response.Headers[IdempotentRequest.ReplayedHeader] = "true";
            }

            ChangeMetrics.IdempotentCreate(stored, replayed);
            return RunResponses.Created(this, output, stored);
        }

        if (db.Database.CurrentTransaction is null)
        {
            await inserts.InsertAsync(run);
        }
        else
        {
            // Inside a $batch transaction the insert belongs to that transaction, not to a group commit.
            db.Runs.Add(run);
            await db.SaveChangesAsync(RequestAborted);
        }

        ChangeMetrics.Created(run);

        return RunResponses.Created(this, output, run);
    }

    /// <summary>
    /// The run a write addresses, tracked; 404 if there is none of the URL's type. A body with faults is refused before
    /// 404 (and, in PUT and PATCH, every fault together before If-Match is evaluated: the version it compares changes
    /// only when the write is saved). With If-Match, a missing run is a 412 instead (<see cref="RunETags.CheckWriteOfMissing"/>).
    /// </summary>
    private async Task<Run> Tracked(string key, RunPayload? payload = null)
    {
        var type = RunPath.CastType(Request.ODataFeature().Path);
        var run = await db.Runs.FirstOrDefaultAsync(run => run.Id == key, RequestAborted);
        if (run is not null && type.IsInstanceOfType(run))
        {
            return run;
        }

        if (payload is not null)
        {
            RunRules.RejectFaultyBody(payload);
        }

        var notFound = RunNotFound(type, key);
        RunETags.CheckWriteOfMissing(Request, notFound.Message);
        throw notFound;
    }

    private ApiException RunNotFound(Type type, string key) => ApiException.NotFound(type == typeof(Run)
        ? $"No run has the id '{key}'. It may never have existed or may have been deleted; list runs with GET {ServiceRootPath.Of(HttpContext).Of("runs")}."
        : $"No {char.ToLowerInvariant(type.Name[0])}{type.Name[1..]} has the id '{key}' (the id may exist as another kind of run).");
}
