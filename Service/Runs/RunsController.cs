using IndustryData.OData.Model.Edm;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Querying;
using IndustryData.OData.Service.Storage;
using IndustryData.OData.Service.Security;
using IndustryData.OData.Service.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
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
    public Task<IActionResult> Get(CancellationToken cancellationToken) => List<Run>(cancellationToken);

    public Task<IActionResult> GetFromoutgoingFlowRun(CancellationToken cancellationToken) => List<OutgoingFlowRun>(cancellationToken);

    public Task<IActionResult> GetFromincomingFlowRun(CancellationToken cancellationToken) => List<IncomingFlowRun>(cancellationToken);

    public Task<IActionResult> Get(string key, CancellationToken cancellationToken) => Single<Run>(key, cancellationToken);

    public Task<IActionResult> GetoutgoingFlowRun(string key, CancellationToken cancellationToken) => Single<OutgoingFlowRun>(key, cancellationToken);

    public Task<IActionResult> GetincomingFlowRun(string key, CancellationToken cancellationToken) => Single<IncomingFlowRun>(key, cancellationToken);

    [Authorize(Policy = Permissions.WritePolicy)]
    public Task<IActionResult> Post(CancellationToken cancellationToken) => Create(null, null, cancellationToken);

    [Authorize(Policy = Permissions.WritePolicy)]
    public Task<IActionResult> PostFromoutgoingFlowRun(CancellationToken cancellationToken) =>
        Create(typeof(OutgoingFlowRun), IndustryDataEdm.OutgoingFlowRunTypeName, cancellationToken);

    [Authorize(Policy = Permissions.WritePolicy)]
    public Task<IActionResult> PostFromincomingFlowRun(CancellationToken cancellationToken) =>
        Create(typeof(IncomingFlowRun), IndustryDataEdm.IncomingFlowRunTypeName, cancellationToken);

    [Authorize(Policy = Permissions.WritePolicy)]
    public async Task<IActionResult> Put(string key, CancellationToken cancellationToken)
    {
        var payload = RunPayloadReader.Read(await RequestBody.ReadJsonAsync(Request, cancellationToken));
        var run = await Tracked(key, cancellationToken);
        RunETags.CheckIfMatch(Request, run);
        RunRules.Replace(payload, run);
        await db.SaveChangesAsync(cancellationToken);
        return RunResponses.Updated(this, output, run);
    }

    [Authorize(Policy = Permissions.WritePolicy)]
    public async Task<IActionResult> Patch(string key, CancellationToken cancellationToken)
    {
        var payload = RunPayloadReader.Read(await RequestBody.ReadJsonAsync(Request, cancellationToken));
        var run = await Tracked(key, cancellationToken);
        RunETags.CheckIfMatch(Request, run);
        RunRules.Update(payload, run);
        await db.SaveChangesAsync(cancellationToken);
        return RunResponses.Updated(this, output, run);
    }

    [Authorize(Policy = Permissions.WritePolicy)]
    public async Task<IActionResult> Delete(string key, CancellationToken cancellationToken)
    {
        var run = await Tracked(key, cancellationToken);
        RunETags.CheckIfMatch(Request, run);
        db.Runs.Remove(run);
        await db.SaveChangesAsync(cancellationToken);
        return NoContent();
    }

    private async Task<IActionResult> List<T>(CancellationToken cancellationToken)
        where T : Run
    {
        if (Request.ODataFeature().Path.LastSegment is CountSegment)
        {
            return Ok(await query.CountAsync<T>(Request, cancellationToken));
        }

        return output.Collection(Request, await query.ListAsync<T>(Request, cancellationToken));
    }

    private async Task<IActionResult> Single<T>(string key, CancellationToken cancellationToken)
        where T : Run
    {
        var run = await query.FindAsync<T>(Request, key, cancellationToken) ?? throw RunNotFound<T>(key);
        return RunResponses.Read(this, output, run);
    }

    private async Task<IActionResult> Create(Type? castType, string? castTypeName, CancellationToken cancellationToken)
    {
        var payload = RunPayloadReader.Read(await RequestBody.ReadJsonAsync(Request, cancellationToken));
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
            await db.SaveChangesAsync(cancellationToken);
        }

        return RunResponses.Created(this, output, run);
    }

    private async Task<Run> Tracked(string key, CancellationToken cancellationToken) =>
        await db.Runs.FirstOrDefaultAsync(run => run.Id == key, cancellationToken) ?? throw RunNotFound<Run>(key);

    private static ApiException RunNotFound<T>(string key) => ApiException.NotFound(typeof(T) == typeof(Run)
        ? $"No run has the id '{key}'. It may never have existed or may have been deleted; list runs with GET /runs."
        : $"No {char.ToLowerInvariant(typeof(T).Name[0])}{typeof(T).Name[1..]} has the id '{key}' (the id may exist as another kind of run).");
}
