using System.Collections.Concurrent;
using System.Text;
using IndustryData.OData.Service.Batch;
using IndustryData.OData.Service.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IndustryData.OData.Service.Async;

/// <summary>
/// Runs queued asynchronous requests on this instance, each claimed under a lease stored in its row (as the
/// notification dispatcher does), so instances sharing the database never run one twice. The lease is renewed while the
/// request runs; a lease that lapses means its instance stopped mid-request, and the request ends as failed with a
/// final response saying so (never retried: a write in it committed whole or not at all, and the client decides).
/// Results past their retention answer 410; a retention later they are pruned (404).
/// </summary>
public sealed partial class AsyncOperationRunner(IServiceScopeFactory scopes, SubRequestPipeline pipeline, IOptions<AsyncOptions> options, TimeProvider time,
    ILogger<AsyncOperationRunner> logger) : BackgroundService
{
    private readonly SemaphoreSlim wake = new(0);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> running = new(StringComparer.Ordinal);

    /// <summary>This instance's name in leases.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Work was queued here: look now rather than at the next poll.</summary>
    public void Wake()
    {
        if (wake.CurrentCount == 0)
        {
            wake.Release();
        }
    }

    /// <summary>Stops a request this instance runs (its row is gone: the client cancelled it).</summary>
    public void Cancel(string id)
    {
        if (running.TryGetValue(id, out var cancellation))
        {
            cancellation.Cancel();
        }
    }

    /// <summary>The final response of a request its instance stopped running.</summary>
    public static (int Status, string Headers, byte[] Body) Interrupted()
    {
        var body = Encoding.UTF8.GetBytes(
            "{\"error\":{\"code\":\"internalServerError\",\"message\":\"The service stopped while this asynchronous request ran, so it ended unfinished. "
            + "A write in it was applied completely or not at all: read the resource to see which, then send the request again if needed.\","
            + "\"innerError\":{\"code\":\"asyncRequestInterrupted\"}}}");
        return (StatusCodes.Status500InternalServerError, "{\"Content-Type\":\"application/json; charset=utf-8\",\"Content-Length\":\"" + body.Length + "\"}", body);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunnerEnabled)
        {
            return;
        }

        try
        {
            await pipeline.Built.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RoundAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(exception);
            }

            try
            {
                await wake.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task RoundAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RunsDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var (status, headers, body) = Interrupted();
        await db.AsyncOperations
            .Where(o => o.Status == AsyncOperationStatus.Running && o.LeaseExpiresAt < now)
            .ExecuteUpdateAsync(set => set
                .SetProperty(o => o.Status, AsyncOperationStatus.Failed)
                .SetProperty(o => o.ResponseStatus, status)
                .SetProperty(o => o.ResponseHeaders, headers)
                .SetProperty(o => o.ResponseBody, body)
                .SetProperty(o => o.CompletedAt, now), stoppingToken);
        var pruneBefore = now - settings.ResultRetention;
        await db.AsyncOperations.Where(o => o.ExpiresAt < pruneBefore).ExecuteDeleteAsync(stoppingToken);

        var slots = settings.MaxConcurrent - running.Count;
        if (slots <= 0)
        {
            return;
        }

        var queued = await db.AsyncOperations.AsNoTracking()
            .Where(o => o.Status == AsyncOperationStatus.Queued)
            .OrderBy(o => o.CreatedAt)
            .Select(o => o.Id)
            .Take(slots)
            .ToListAsync(stoppingToken);
        foreach (var id in queued)
        {
            var leaseEnd = now + settings.LeaseDuration;
            var claimed = await db.AsyncOperations
                .Where(o => o.Id == id && o.Status == AsyncOperationStatus.Queued)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(o => o.Status, AsyncOperationStatus.Running)
                    .SetProperty(o => o.LeaseOwner, InstanceId)
                    .SetProperty(o => o.LeaseExpiresAt, leaseEnd), stoppingToken) == 1;
            if (claimed)
            {
                var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                running[id] = cancellation;
                _ = Task.Run(() => RunAsync(id, cancellation), CancellationToken.None);
            }
        }
    }

    private async Task RunAsync(string id, CancellationTokenSource cancellation)
    {
        var token = cancellation.Token;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RunsDbContext>();
            var operation = await db.AsyncOperations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, token);
            if (operation is null)
            {
                return;
            }

            using var renewal = new CancellationTokenSource();
            var renewing = RenewAsync(id, renewal.Token);
            AsyncJob.Response response;
            try
            {
                response = await AsyncJob.RunAsync(operation, scopes, pipeline.Entry, token);
            }
            finally
            {
                await renewal.CancelAsync();
                await renewing;
            }

            var now = time.GetUtcNow().UtcDateTime;
            await db.AsyncOperations
                .Where(o => o.Id == id && o.Status == AsyncOperationStatus.Running && o.LeaseOwner == InstanceId)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(o => o.Status, AsyncOperationStatus.Completed)
                    .SetProperty(o => o.ResponseStatus, response.Status)
                    .SetProperty(o => o.ResponseHeaders, response.Headers)
                    .SetProperty(o => o.ResponseBody, response.Body)
                    .SetProperty(o => o.CompletedAt, now), CancellationToken.None);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Cancelled by its client (the row is gone), or this instance is stopping (its lease lapses: failed).
        }
        catch (Exception exception)
        {
            LogRunFailed(exception, id);
        }
        finally
        {
            running.TryRemove(id, out _);
            cancellation.Dispose();
            Wake();
        }
    }

    private async Task RenewAsync(string id, CancellationToken stop)
    {
        var lease = options.Value.LeaseDuration;
        try
        {
            while (true)
            {
                await Task.Delay(lease / 3, time, stop);
                await using var scope = scopes.CreateAsyncScope();
                var leaseEnd = time.GetUtcNow().UtcDateTime + lease;
                await scope.ServiceProvider.GetRequiredService<RunsDbContext>().AsyncOperations
                    .Where(o => o.Id == id && o.Status == AsyncOperationStatus.Running && o.LeaseOwner == InstanceId)
                    .ExecuteUpdateAsync(set => set.SetProperty(o => o.LeaseExpiresAt, leaseEnd), stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A round of the asynchronous request runner failed; it tries again at the next poll.")]
    private partial void LogRoundFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Running asynchronous request {Id} failed; its lease lapses and it ends as failed.")]
    private partial void LogRunFailed(Exception exception, string id);
}
