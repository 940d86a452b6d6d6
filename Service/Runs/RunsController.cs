using IndustryData.OData.Model.Edm;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Changes;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Hosting;
using IndustryData.OData.Service.Idempotency;
using IndustryData.OData.Service.Protocol;
using IndustryData.OData.Service.Querying;
using IndustryData.OData.Service.Storage;
using IndustryData.OData.Service.Security;
using IndustryData.OData.Service.Serialization;
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
/// The runs entity set. Action names follow ASP.NET Core OData's routing conventions:
/// Get/Post (set), GetFrom{type}/PostFrom{type} (type-cast set), Get/Put/Patch/Delete(key) and Get{type}(key).
/// The type part must spell the EDM name exactly (lower camel case): the conventions match derived types case-sensitively.
/// Updates and deletes read the run and write it back within one write turn (<see cref="WriteGate"/>), so on one
/// instance a write without If-Match never loses to another in between; across instances the version guards it.
/// </summary>
[Authorize(Policy = Permissions.ReadPolicy)]
public sealed class RunsController(RunsDbContext db, RunQuery query, RunInsertQueue inserts, IdempotentCreates keyedCreates, WriteGate gate, RunOutput output) : ODataController
{
    public Task<IActionResult> Get() => List<Run>();

    public Task<IActionResult> GetFromoutgoingFlowRun() => List<OutgoingFlowRun>();

    public Task<IActionResult> GetFromincomingFlowRun() => List<IncomingFlowRun>();

    public Task<IActionResult> Get([ValidateNever] string key) => Single<Run>(key);

    public Task<IActionResult> GetoutgoingFlowRun([ValidateNever] string key) => Single<OutgoingFlowRun>(key);

    public Task<IActionResult> GetincomingFlowRun([ValidateNever] string key) => Single<IncomingFlowRun>(key);

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
        var payload = RunPayloadReader.Read(await RequestBody.ReadJsonAsync(Request, RequestAborted));
        using var turn = await gate.EnterAsync(db, RequestAborted);
        var run = await Tracked(key, payload);
        RunRules.Replace(payload, run);
        RunETags.CheckIfMatch(Request, run);
        await db.SaveChangesAsync(RequestAborted);
        return RunResponses.Updated(this, output, run);
    }

    [Authorize(Policy = Permissions.WritePolicy)]
    public async Task<IActionResult> Patch([ValidateNever] string key)
    {
        var payload = RunPayloadReader.Read(await RequestBody.ReadJsonAsync(Request, RequestAborted));
        using var turn = await gate.EnterAsync(db, RequestAborted);
        var run = await Tracked(key, payload);
        RunRules.Update(payload, run);
        RunETags.CheckIfMatch(Request, run);
        await db.SaveChangesAsync(RequestAborted);
        return RunResponses.Updated(this, output, run);
    }

    [Authorize(Policy = Permissions.WritePolicy)]
    public async Task<IActionResult> Delete([ValidateNever] string key)
    {
        using var turn = await gate.EnterAsync(db, RequestAborted);
        var run = await Tracked(key);
        RunETags.CheckIfMatch(Request, run);
        db.Runs.Remove(run);
        await db.SaveChangesAsync(RequestAborted);
        return NoContent();
    }

    // Read from the context rather than bound as an action parameter: one model-binding pass less per request.
    private CancellationToken RequestAborted => HttpContext.RequestAborted;

    private async Task<IActionResult> List<T>()
        where T : Run
    {
        if (Request.ODataFeature().Path.LastSegment is CountSegment)
        {
            return Ok(await query.CountAsync<T>(Request, RequestAborted));
        }

        if (Preferences.TrackChanges(Request) && DeltaRequest.CanTrack(Request))
        {
            // OData's own way to ask for change tracking: the answer is delta()'s first page.
            Preferences.Applied(HttpContext, "odata.track-changes");
            return await Changes<T>(Request.Path.Add("/delta()"));
        }

        return output.Collection(Request, await query.ListAsync<T>(Request, RequestAborted));
    }

    private async Task<IActionResult> Changes<T>(PathString deltaPath)
        where T : Run
    {
        var delta = HttpContext.RequestServices.GetRequiredService<DeltaQuery>();
        var page = await delta.PageAsync<T>(Request, deltaPath, RequestAborted);
        return new DeltaResult(page, DeltaResult.ContextUrl(Request, typeof(T), page.Selected));
    }

    private async Task<IActionResult> Single<T>(string key)
        where T : Run
    {
        var run = await query.FindAsync<T>(Request, key, RequestAborted) ?? throw RunNotFound<T>(key);
        return RunResponses.Read(this, output, run);
    }

    private async Task<IActionResult> Create(Type? castType, string? castTypeName)
    {
        var key = IdempotencyKeyHeader.Read(Request);
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

        return RunResponses.Created(this, output, run);
    }

    /// <summary>
    /// The run a write addresses. A body with faults is refused before 404 (and, in PUT and PATCH, every fault together
    /// before If-Match is evaluated: the version it compares changes only when the write is saved).
    /// </summary>
    private async Task<Run> Tracked(string key, RunPayload? payload = null)
    {
        var run = await db.Runs.FirstOrDefaultAsync(run => run.Id == key, RequestAborted);
        if (run is null)
        {
            if (payload is not null)
            {
                RunRules.RejectFaultyBody(payload);
            }

            throw RunNotFound<Run>(key);
        }

        return run;
    }

    private ApiException RunNotFound<T>(string key) => ApiException.NotFound(typeof(T) == typeof(Run)
        ? $"No run has the id '{key}'. It may never have existed or may have been deleted; list runs with GET {ServiceRootPath.Of(HttpContext).Of("runs")}."
        : $"No {char.ToLowerInvariant(typeof(T).Name[0])}{typeof(T).Name[1..]} has the id '{key}' (the id may exist as another kind of run).");
}
