using System.Diagnostics;
using System.Threading.Channels;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Telemetry;

namespace IndustryData.OData.Service.Storage;

/// <summary>
/// Group commit for creates. Concurrent creates queue here; one writer takes whatever is queued, inserts it in one
/// transaction and acknowledges each create only after that commit. One fsync then carries many runs, and SQLite's
/// single writer lock is never fought over by dozens of requests (a busy-retry storm that drove p99 to seconds).
/// A 201 still means the row is durable: the caller's task completes after the commit, never before.
/// Each group commit is a span of its own, linked to the requests whose runs it carried.
/// </summary>
public sealed partial class RunInsertQueue(IServiceScopeFactory scopes, WriteGate gate, ServiceMetrics metrics, ILogger<RunInsertQueue> logger) : BackgroundService
{
    private const int MaxPerCommit = 256;

    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Completes when the run is committed; throws what the commit threw.</summary>
    public Task InsertAsync(Run run)
    {
        var pending = new Pending(run);
        if (!queue.Writer.TryWrite(pending))
        {
            throw new Errors.ApiException(StatusCodes.Status503ServiceUnavailable, "shuttingDown", "The service is shutting down and takes no new runs. Retry in a moment.")
            {
                Headers = { ["Retry-After"] = "1" },
            };
        }

        return pending.Committed.Task;
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
                group.Add(pending);
            }

            await CommitGroupAsync(group);
            group.Clear();
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
            group.ForEach(pending => pending.Committed.TrySetResult());
        }
        catch (Exception exception) when (group.Count > 1 && !DatabaseFaults.IsUnavailable(exception))
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
            // again one by one): every create in the group gets the failure (503 for an unavailable database).
            group.ForEach(pending => pending.Committed.TrySetException(exception));
        }
    }

    private async Task SaveAsync(List<Pending> group)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RunsDbContext>();
        db.Runs.AddRange(group.Select(pending => pending.Run));
        using var turn = await gate.EnterAsync(db, CancellationToken.None);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group commit of {Count} runs failed; committing them one by one")]
    private static partial void LogGroupFailed(ILogger logger, Exception exception, int count);

    private sealed class Pending(Run run)
    {
        public Run Run { get; } = run;

        public long Enqueued { get; } = Stopwatch.GetTimestamp();

        /// <summary>The span of the request that queued the run, for the group commit's links (only when spans are collected).</summary>
        public ActivityContext Parent { get; } = ServiceTelemetry.Source.HasListeners() ? Activity.Current?.Context ?? default : default;

        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
