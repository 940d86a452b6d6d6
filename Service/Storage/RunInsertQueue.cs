using System.Diagnostics;
using System.Threading.Channels;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Idempotency;
using IndustryData.OData.Service.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IndustryData.OData.Service.Storage;

/// <summary>
/// Group commit for creates. Concurrent creates queue here; one writer takes whatever is queued, inserts it in one
/// transaction and acknowledges each create only after that commit. One fsync then carries many runs, and SQLite's
/// single writer lock is never fought over by dozens of requests (a busy-retry storm that drove p99 to seconds).
/// A 201 still means the row is durable: the caller's task completes after the commit, never before.
/// A create that is not taken into a commit within <see cref="WriteGate.Bound"/> is withdrawn and answered 503.
/// A create with an Idempotency-Key commits its key record with its run, in the same transaction; when a key turns out
/// to be in use, the group is committed again without the runs whose key is live.
/// Each group commit is a span of its own, linked to the requests whose runs it carried.
/// </summary>
public sealed partial class RunInsertQueue(
    IServiceScopeFactory scopes, WriteGate gate, StorageSpace space, IOptions<IdempotencyOptions> idempotency, ServiceMetrics metrics, ILogger<RunInsertQueue> logger)
    : BackgroundService
{
    internal const int MaxPerCommit = 256;

    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>
    /// Completes when the run (and its key record, if any) is committed, with null; or, when the key is in use and
    /// live, with its stored record and nothing inserted. Throws what the commit threw.
    /// </summary>
    public async Task<IdempotencyRecord?> InsertAsync(Run run, IdempotencyRecord? key = null)
    {
        var pending = new Pending(run, key);
        if (!queue.Writer.TryWrite(pending))
        {
            throw new Errors.ApiException(StatusCodes.Status503ServiceUnavailable, "shuttingDown", "The service is shutting down and takes no new runs. Retry in a moment.")
            {
                Headers = { ["Retry-After"] = "1" },
            };
        }

        try
        {
            return await pending.Committed.Task.WaitAsync(gate.Bound);
        }
        catch (TimeoutException) when (pending.TryWithdraw())
        {
            throw gate.NoTurnInTime();
        }
        catch (TimeoutException)
        {
            // Taken into a commit just as the wait ran out: its outcome is the answer.
            return await pending.Committed.Task;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Take no more work, but commit everything already accepted before the host goes down.
        queue.Writer.TryComplete();
        if (ExecuteTask is { } running)
        {
            await running.WaitAsync(cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<Pending>(MaxPerCommit);
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (group.Count < MaxPerCommit && queue.Reader.TryRead(out var pending))
            {
                if (pending.TryTake())
                {
                    group.Add(pending);
                }
            }

            if (group.Count > 0)
            {
                await CommitGroupAsync(group);
                group.Clear();
            }
        }
    }

    private async Task CommitGroupAsync(List<Pending> group)
    {
        var started = Stopwatch.GetTimestamp();
        if (metrics.GroupCommitWaitEnabled)
        {
            group.ForEach(pending => metrics.GroupCommitWaited(pending.Enqueued));
        }

        using var span = ServiceTelemetry.Source.HasListeners() ? StartSpan(group) : null;
        await CommitAsync(group);
        metrics.GroupCommitted(group.Count, Stopwatch.GetElapsedTime(started));
        if (group.Any(pending => pending.Committed.Task.IsFaulted))
        {
            span?.SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <summary>A root span (the commit serves many traces), linked to the request span of every create it carries.</summary>
    private static Activity? StartSpan(List<Pending> group)
    {
        var links = group.Where(pending => pending.Parent != default).Select(pending => new ActivityLink(pending.Parent)).ToList();
        var span = ServiceTelemetry.Source.StartActivity("group commit", ActivityKind.Internal, parentContext: default, links: links);
        span?.SetTag("industrydata.group_commit.runs", group.Count);
        return span;
    }

    private async Task CommitAsync(List<Pending> group)
    {
        try
        {
            await SaveAsync(group);
            space.ReportWritten();
            group.ForEach(pending => pending.Committed.TrySetResult(pending.KeyInUse));
        }
        catch (Exception exception) when (group.Count == 1 && DatabaseFaults.IsUniqueViolation(exception))
        {
            // On SQL Server the execution strategy retries a commit whose acknowledgement was lost; the retry meets
            // the rows the first attempt stored (the run's id was fixed before either). Anything else is a real clash.
            var pending = group[0];
            if (await StoredVersionAsync(pending.Run.Id) is { } version)
            {
                pending.Run.Version = version;
                pending.Committed.TrySetResult(null);
            }
            else
            {
                pending.Committed.TrySetException(exception);
            }
        }
        catch (Exception exception) when (group.Count > 1 && exception is not Errors.ApiException && !DatabaseFaults.IsUnavailable(exception))
        {
            LogGroupFailed(logger, exception, group.Count);
            foreach (var pending in group)
            {
                await CommitAsync([pending]);
            }
        }
        catch (Exception exception)
        {
            // One run at fault, or the database unavailable for all of them (each would wait out the busy timeout
            // again one by one), or no write turn in time: every create in the group gets the failure (503 for the
            // last two).
            group.ForEach(pending => pending.Committed.TrySetException(exception));
        }
    }

    private async Task SaveAsync(List<Pending> group)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RunsDbContext>();
        using var turn = await gate.EnterAsync(db, CancellationToken.None);
        try
        {
            await InsertAsync(db, group);
        }
        catch (Exception exception) when (group.Any(pending => pending.Key is not null) && DatabaseFaults.IsUniqueViolation(exception))
        {
            // A key is in use (a retry, or an expired key not pruned yet). Keys are new almost always, so they are not
            // looked up before the insert; now they are, in one query, and the group is committed again without the
            // creates whose key is live, at the same turn.
            db.ChangeTracker.Clear();
            Stage(db, group, await KeysInUseAsync(db, [.. group.Where(pending => pending.Key is not null).Select(pending => pending.Key!.KeyHash)]));
            await db.SaveChangesAsync(CancellationToken.None);
        }
    }

    /// <summary>The group's runs, and its key records in one statement, in one transaction (a single statement alone when no run has a key).</summary>
    private static async Task InsertAsync(RunsDbContext db, List<Pending> group)
    {
        group.ForEach(pending => pending.KeyInUse = null);
        var runs = group.ConvertAll(pending => pending.Run);
        var keys = group.Where(pending => pending.Key is not null).Select(pending => pending.Key!).ToList();
        if (keys.Count == 0)
        {
            await InsertRunsAsync(db, runs);
            return;
        }

        // On SQL Server the execution strategy re-runs the whole transaction after a transient failure; a re-run after
        // a commit whose acknowledgement was lost meets its own key rows, a unique violation handled above.
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
            await MultiRowInsert.InsertAsync(db, keys, CancellationToken.None);
            await InsertRunsAsync(db, runs);
            await transaction.CommitAsync(CancellationToken.None);
        });
    }

    /// <summary>
    /// SQLite: one INSERT for the group's runs (its provider would write a statement per run). SQL Server: EF Core, which
    /// already sends the group as one command, and reads back each run's rowversion (its ETag) as it goes.
    /// </summary>
    private static async Task InsertRunsAsync(RunsDbContext db, List<Run> runs)
    {
        if (db is SqliteRunsDbContext)
        {
            runs.ForEach(run => run.Version = SqliteRunsDbContext.FirstVersion);
            await MultiRowInsert.InsertAsync(db, runs, CancellationToken.None);
            return;
        }

        db.Runs.AddRange(runs);
        await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, CancellationToken.None);
    }

    private void Stage(RunsDbContext db, List<Pending> group, Dictionary<string, IdempotencyRecord>? keysInUse)
    {
        foreach (var pending in group)
        {
            pending.KeyInUse = pending.Key is { } key
                ? IdempotentCreates.Stage(db, key, keysInUse?.GetValueOrDefault(key.KeyHash), idempotency.Value.KeyLifetime)
                : null;
            if (pending.KeyInUse is null)
            {
                db.Runs.Add(pending.Run);
            }
        }
    }

    /// <summary>
    /// The stored records of these keys, by one look-up through the primary key; no query for none. The group commit's
    /// fallback and a create inside $batch both look keys up here.
    /// </summary>
    internal static async Task<Dictionary<string, IdempotencyRecord>> KeysInUseAsync(
        RunsDbContext db, List<string> hashes, CancellationToken cancellationToken = default) =>
        hashes.Count == 0
            ? []
            : await db.IdempotencyRecords.AsNoTracking().Where(record => hashes.Contains(record.KeyHash)).ToDictionaryAsync(record => record.KeyHash, StringComparer.Ordinal, cancellationToken);

    private async Task<long?> StoredVersionAsync(string id)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RunsDbContext>();
        var stored = await db.Runs.AsNoTracking().Where(run => run.Id == id).Select(run => (long?)run.Version).ToListAsync();
        return stored.FirstOrDefault();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group commit of {Count} runs failed; committing them one by one")]
    private static partial void LogGroupFailed(ILogger logger, Exception exception, int count);

    private sealed class Pending(Run run, IdempotencyRecord? key)
    {
        private const int Queued = 0;
        private const int Taken = 1;
        private const int Withdrawn = 2;

        private int state;

        public Run Run { get; } = run;

        public IdempotencyRecord? Key { get; } = key;

        /// <summary>The live record of an earlier use of <see cref="Key"/>, found at commit time: nothing is inserted then.</summary>
        public IdempotencyRecord? KeyInUse { get; set; }

        public long Enqueued { get; } = Stopwatch.GetTimestamp();

        /// <summary>The span of the request that queued the run, for the group commit's links (only when spans are collected).</summary>
        public ActivityContext Parent { get; } = ServiceTelemetry.Source.HasListeners() ? Activity.Current?.Context ?? default : default;

        public TaskCompletionSource<IdempotencyRecord?> Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The writer takes it into a commit, unless its caller gave up waiting first.</summary>
        public bool TryTake() => Interlocked.CompareExchange(ref state, Taken, Queued) == Queued;

        /// <summary>The caller gives up waiting, unless the writer has taken it already.</summary>
        public bool TryWithdraw() => Interlocked.CompareExchange(ref state, Withdrawn, Queued) == Queued;
    }
}
