using IndustryData.OData.Model.Edm;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Querying;
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
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Runs;

/// <summary>
/// The runs entity set. Action names follow ASP.NET Core OData's routing conventions:
/// Get/Post (set), GetFrom{type}/PostFrom{type} (type-cast set), Get/Put/Patch/Delete(key) and Get{type}(key).
/// The type part must spell the EDM name exactly (lower camel case): the conventions match derived types case-sensitively.
/// </summary>
[Authorize(Policy = Permissions.ReadPolicy)]
public sealed class RunsController(RunsDbContext db, RunQuery query, RunInsertQueue inserts, RunOutput output) : ODataController
{
    public Task<IActionResult> Get() => List<Run>();

    public Task<IActionResult> GetFromoutgoingFlowRun() => List<OutgoingFlowRun>();

    public Task<IActionResult> GetFromincomingFlowRun() => List<IncomingFlowRun>();

    public Task<IActionResult> Get([ValidateNever] string key) => Single<Run>(key);

    public Task<IActionResult> GetoutgoingFlowRun([ValidateNever] string key) => Single<OutgoingFlowRun>(key);

    public Task<IActionResult> GetincomingFlowRun([ValidateNever] string key) => Single<IncomingFlowRun>(key);

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
        var run = await Tracked(key);
        RunETags.CheckIfMatch(Request, run);
        RunRules.Replace(payload, run);
        await db.SaveChangesAsync(RequestAborted);
        Changes.Updated(run);
        return RunResponses.Updated(this, output, run);
    }

    [Authorize(Policy = Permissions.WritePolicy)]
    public async Task<IActionResult> Patch([ValidateNever] string key)
    {
        var payload = RunPayloadReader.Read(await RequestBody.ReadJsonAsync(Request, RequestAborted));
        var run = await Tracked(key);
        RunETags.CheckIfMatch(Request, run);
        RunRules.Update(payload, run);
        await db.SaveChangesAsync(RequestAborted);
        Changes.Updated(run);
        return RunResponses.Updated(this, output, run);
    }

    [Authorize(Policy = Permissions.WritePolicy)]
    public async Task<IActionResult> Delete([ValidateNever] string key)
    {
        var run = await Tracked(key);
        RunETags.CheckIfMatch(Request, run);
        db.Runs.Remove(run);
        await db.SaveChangesAsync(RequestAborted);
        Changes.Deleted(run);
        return NoContent();
    }

    // Read from the context rather than bound as an action parameter: one model-binding pass less per request.
    private CancellationToken RequestAborted => HttpContext.RequestAborted;

    // Resolved by the writes only: reads do not pay for it.
    private RunChangeMetrics Changes => HttpContext.RequestServices.GetRequiredService<RunChangeMetrics>();

    private async Task<IActionResult> List<T>()
        where T : Run
    {
        if (Request.ODataFeature().Path.LastSegment is CountSegment)
        {
            return Ok(await query.CountAsync<T>(Request, RequestAborted));
        }

        return output.Collection(Request, await query.ListAsync<T>(Request, RequestAborted));
    }

    private async Task<IActionResult> Single<T>(string key)
        where T : Run
    {
        var run = await query.FindAsync<T>(Request, key, RequestAborted) ?? throw RunNotFound<T>(key);
        return RunResponses.Read(this, output, run);
    }

    private async Task<IActionResult> Create(Type? castType, string? castTypeName)
    {
        var payload = RunPayloadReader.Read(await RequestBody.ReadJsonAsync(Request, RequestAborted));
        var run = RunRules.Create(payload, castType, castTypeName);
        run.Id = Guid.CreateVersion7().ToString();
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

        Changes.Created(run);

        return RunResponses.Created(this, output, run);
    }

    private async Task<Run> Tracked(string key) =>
        await db.Runs.FirstOrDefaultAsync(run => run.Id == key, RequestAborted) ?? throw RunNotFound<Run>(key);

    private static ApiException RunNotFound<T>(string key) => ApiException.NotFound(typeof(T) == typeof(Run)
        ? $"No run has the id '{key}'. It may never have existed or may have been deleted; list runs with GET /runs."
        : $"No {char.ToLowerInvariant(typeof(T).Name[0])}{typeof(T).Name[1..]} has the id '{key}' (the id may exist as another kind of run).");
}
