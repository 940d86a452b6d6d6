using System.Text;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Storage;
using IndustryData.OData.Service.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace IndustryData.OData.Service.Batch;

/// <summary>
/// Executes the parts of a batch in order, each through the full pipeline, inside one database transaction:
/// every independent part and every atomicity group sits behind its own savepoint, so a failure undoes exactly that
/// part or group, while the whole batch still commits once. Responses are released only after that commit.
/// </summary>
public sealed class BatchExecutor(SubRequestPipeline pipeline, IServiceScopeFactory scopes, WriteGate gate, ServiceMetrics metrics)
{
    public const int MaxRequests = 20;

    public async Task<IReadOnlyList<BatchPartResponse>> ExecuteAsync(HttpContext outer, IReadOnlyList<BatchPart> parts, PathString serviceRoot)
    {
        BatchRules.Check(parts);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RunsDbContext>();
        var responses = new List<BatchPartResponse>();
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            responses.Clear();
            using var turn = await gate.EnterAsync(db, outer.RequestAborted);
            await using var transaction = await db.Database.BeginTransactionAsync(outer.RequestAborted);
            foreach (var unit in Units(parts))
            {
                responses.AddRange(await RunUnitAsync(outer, unit, responses, transaction, serviceRoot));
            }

            await CommitAsync(transaction, outer.RequestAborted);
        });
        foreach (var change in responses.Where(response => response.Succeeded).SelectMany(response => response.RunChanges))
        {
            change(metrics);
        }

        return responses;
    }

    /// <summary>
    /// A commit that fails with a connection or server fault may still have committed (SQL Server can lose the
    /// acknowledgement), so the execution strategy must not run the batch again: that could store its creates twice.
    /// The fault still answers 503; a client retries safely with Idempotency-Key on its creates.
    /// </summary>
    private static async Task CommitAsync(IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        try
        {
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception exception) when (DatabaseFaults.IsUnavailable(exception))
        {
            throw new CommitOutcomeUnknownException(exception);
        }
    }

    /// <summary>Consecutive parts of one atomicity group form one unit; every other part is a unit of its own.</summary>
    private static IEnumerable<List<BatchPart>> Units(IReadOnlyList<BatchPart> parts)
    {
        var unit = new List<BatchPart>();
        foreach (var part in parts)
        {
            if (unit.Count > 0 && (part.AtomicityGroup is null || part.AtomicityGroup != unit[0].AtomicityGroup))
            {
                yield return unit;
                unit = [];
            }

            unit.Add(part);
        }

        if (unit.Count > 0)
        {
            yield return unit;
        }
    }

    private async Task<List<BatchPartResponse>> RunUnitAsync(HttpContext outer, List<BatchPart> unit, List<BatchPartResponse> earlier,
        IDbContextTransaction transaction, PathString serviceRoot)
    {
        const string savepoint = "batch_unit";
        await transaction.CreateSavepointAsync(savepoint, outer.RequestAborted);
        var results = new List<BatchPartResponse>();
        BatchPartResponse? failure = null;
        foreach (var part in unit)
        {
            var response = failure is null ? await RunPartAsync(outer, part, earlier.Concat(results).ToList(), transaction, serviceRoot) : null;
            if (response is { Succeeded: true })
            {
                results.Add(response);
                continue;
            }

            failure ??= response;
            results.Add(response ?? Failed(outer, part, StatusCodes.Status424FailedDependency, "notExecuted",
                $"Not executed: request '{failure!.Part.Id}' of atomicity group '{part.AtomicityGroup}' failed, so the whole group was rolled back."));
        }

        if (failure is null)
        {
            await transaction.ReleaseSavepointAsync(savepoint, outer.RequestAborted);
            return results;
        }

        await transaction.RollbackToSavepointAsync(savepoint, outer.RequestAborted);
        return results
            .Select(result => result.Succeeded
                ? Failed(outer, result.Part, StatusCodes.Status424FailedDependency, "rolledBack",
                    $"Rolled back: request '{failure.Part.Id}' of atomicity group '{result.Part.AtomicityGroup}' failed with {failure.Status}, so nothing in the group was stored.")
                : result)
            .ToList();
    }

    private async Task<BatchPartResponse> RunPartAsync(HttpContext outer, BatchPart part, List<BatchPartResponse> earlier, IDbContextTransaction transaction, PathString serviceRoot)
    {
        var failedDependency = part.DependsOn.FirstOrDefault(id => earlier.Any(e => (e.Part.Id == id || e.Part.AtomicityGroup == id) && !e.Succeeded));
        if (failedDependency is not null)
        {
            return Failed(outer, part, StatusCodes.Status424FailedDependency, "failedDependency",
                $"Not executed: request '{part.Id}' depends on '{failedDependency}', which failed.");
        }

        var locations = earlier.Where(e => e.Succeeded && e.Headers.ContainsKey("Location"))
            .ToDictionary(e => e.Part.Id, e => e.Headers["Location"], StringComparer.Ordinal);
        try
        {
            var (path, query) = BatchUrls.Resolve(part.Url, serviceRoot, locations, part.Id);
            if (path.StartsWithSegments(serviceRoot.Add("/$batch")))
            {
                throw ApiException.BadRequest("nestedBatch", "A batch cannot contain another $batch request. Put its requests in this batch instead.", part.Id);
            }

            // Each part gets its own scope (per-request services such as the authentication handler must never carry
            // one part's identity into another), with a context enlisted in the batch's connection and transaction.
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TransactionEnlistment>().Transaction = transaction.GetDbTransaction();
            var response = await SubRequest.SendAsync(outer, part, path, query, scope.ServiceProvider, pipeline.Entry);
            response.RunChanges = scope.ServiceProvider.GetRequiredService<RunChangeMetrics>().TakePending();
            return response;
        }
        catch (ApiException error)
        {
            return Failed(outer, part, error);
        }
    }

    private static BatchPartResponse Failed(HttpContext outer, BatchPart part, int status, string code, string message) =>
        Failed(outer, part, new ApiException(status, code, message));

    /// <summary>A part's error in the same Graph-style shape a direct request would get.</summary>
    private static BatchPartResponse Failed(HttpContext outer, BatchPart part, ApiException error)
    {
        outer.RequestServices.GetRequiredService<ServiceMetrics>().Rejected(error.Status, error.InnerCode);
        using var buffer = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer, GraphErrorWriter.WriterOptions))
        {
            GraphErrorWriter.Write(json, outer, error);
        }

        var response = new BatchPartResponse { Part = part, Status = error.Status, Body = buffer.ToArray() };
        response.Headers["Content-Type"] = GraphErrorWriter.ContentType;
        response.Headers["OData-Version"] = "4.0";
        return response;
    }
}
