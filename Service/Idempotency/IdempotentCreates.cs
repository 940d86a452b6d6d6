using System.Globalization;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IndustryData.OData.Service.Idempotency;

/// <summary>
/// Creates with an Idempotency-Key: the first request with a key creates its run and stores the key in the same
/// transaction; a repeat of the same request gets the run the first one created, without creating anything; the key
/// with another request is a 422, and a repeat while the first is still running a 409.
/// </summary>
public sealed class IdempotentCreates(RunInsertQueue inserts, InFlightKeys inFlight, IOptions<IdempotencyOptions> options)
{
    public const int InFlightRetryAfterSeconds = 1;

    /// <summary>The run this key's request created, and whether that was an earlier request (a replay).</summary>
    public async Task<(Run Run, bool Replayed)> CreateAsync(RunsDbContext db, IdempotentRequest request, Run run, CancellationToken cancellationToken)
    {
        if (!inFlight.TryClaim(request, out var holder))
        {
            throw holder == request.RequestHash ? InFlight() : UsedForAnotherRequest();
        }

        try
        {
            var record = new IdempotencyRecord { KeyHash = request.KeyHash, RequestHash = request.RequestHash, RunId = run.Id, CreatedAt = DateTime.UtcNow };
            var existing = await InsertOnceAsync(db, run, record, cancellationToken);
            if (existing is null)
            {
                return (run, false);
            }

            if (existing.RequestHash != request.RequestHash)
            {
                throw UsedForAnotherRequest();
            }

            var first = await db.Runs.AsNoTracking().FirstOrDefaultAsync(stored => stored.Id == existing.RunId, cancellationToken)
                ?? throw FirstRunDeleted(existing.RunId);
            return (first, first.Id != run.Id);
        }
        finally
        {
            inFlight.Release(request);
        }
    }

    /// <summary>Null when the run and its key were stored; otherwise the live record of the key's first use.</summary>
    private async Task<IdempotencyRecord?> InsertOnceAsync(RunsDbContext db, Run run, IdempotencyRecord record, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return db.Database.CurrentTransaction is null
                    ? await inserts.InsertAsync(run, record)
                    : await InsertInTransactionAsync(db, run, record, cancellationToken);
            }
            catch (Exception exception) when (attempt == 1 && (DatabaseFaults.IsUniqueViolation(exception) || exception is DbUpdateConcurrencyException))
            {
                // Another instance used or renewed the key between our look-up and our write: look again.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>Inside a $batch: the look-up and both rows belong to the batch's transaction (and its savepoint).</summary>
    private async Task<IdempotencyRecord?> InsertInTransactionAsync(RunsDbContext db, Run run, IdempotencyRecord record, CancellationToken cancellationToken)
    {
        var existing = (await RunInsertQueue.KeysInUseAsync(db, [record.KeyHash], cancellationToken)).GetValueOrDefault(record.KeyHash);
        if (Stage(db, record, existing, options.Value.KeyLifetime) is { } live)
        {
            return live;
        }

        db.Runs.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>
    /// Adds the key's record to the context, or reuses the stored one if it has expired (guarded by its time stamp,
    /// so two reuses cannot both win); returns the stored record instead when it is still live.
    /// </summary>
    public static IdempotencyRecord? Stage(RunsDbContext db, IdempotencyRecord record, IdempotencyRecord? existing, TimeSpan lifetime)
    {
        if (existing is null)
        {
            db.IdempotencyRecords.Add(record);
            return null;
        }

        if (existing.CreatedAt > record.CreatedAt - lifetime)
        {
            return existing;
        }

        db.IdempotencyRecords.Attach(existing);
        existing.RequestHash = record.RequestHash;
        existing.RunId = record.RunId;
        existing.CreatedAt = record.CreatedAt;
        return null;
    }

    private static ApiException InFlight() =>
        new(StatusCodes.Status409Conflict, "idempotencyKeyInFlight",
            $"The first request with this {IdempotencyKeyHeader.Name} is still being carried out. Retry after {InFlightRetryAfterSeconds} s to get its answer.",
            IdempotencyKeyHeader.Name)
        {
            Headers = { ["Retry-After"] = InFlightRetryAfterSeconds.ToString(CultureInfo.InvariantCulture) },
        };

    private static ApiException UsedForAnotherRequest() =>
        new(StatusCodes.Status422UnprocessableEntity, "idempotencyKeyReused",
            $"This {IdempotencyKeyHeader.Name} was already used for a different request (another method, URL or body). Send a new key for a new create; a retry must repeat the first request exactly.",
            IdempotencyKeyHeader.Name);

    private static ApiException FirstRunDeleted(string id) =>
        new(StatusCodes.Status404NotFound, "resourceNotFound",
            $"The first request with this {IdempotencyKeyHeader.Name} created the run '{id}', which has since been deleted. Send a new key to create the run again.",
            IdempotencyKeyHeader.Name);
}
