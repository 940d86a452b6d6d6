using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace IndustryData.OData.Service.Storage;

/// <summary>
/// Lets one request at a time write to a SQLite database within this process; the others wait here, asynchronously
/// and in turn. SQLite has a single writer anyway, but when requests race for the file lock Microsoft.Data.Sqlite
/// retries a busy lock by sleeping 150 ms on a thread-pool thread, first come not first served: 32 parallel
/// clients measured 80 creates/s with a 3 s latency tail that way (see README, Reliability). Another process on the
/// same file still meets SQLite's own locking and the busy timeout. Waiting longer than the connection's
/// Default Timeout is a <see cref="TimeoutException"/>, which the service answers with 503.
/// </summary>
public static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, Gate> Gates = new(StringComparer.Ordinal);

    public static async Task<IDisposable> EnterAsync(string connectionString, CancellationToken cancellationToken)
    {
        var gate = Gates.GetOrAdd(connectionString, Gate.For);
        if (!await gate.Semaphore.WaitAsync(gate.Timeout, cancellationToken))
        {
            throw gate.TimedOut();
        }

        return gate;
    }

    public static IDisposable Enter(string connectionString)
    {
        var gate = Gates.GetOrAdd(connectionString, Gate.For);
        if (!gate.Semaphore.Wait(gate.Timeout))
        {
            throw gate.TimedOut();
        }

        return gate;
    }

    private sealed class Gate(TimeSpan timeout) : IDisposable
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public TimeSpan Timeout { get; } = timeout;

        public static Gate For(string connectionString)
        {
            var seconds = new SqliteConnectionStringBuilder(connectionString).DefaultTimeout;
            return new Gate(seconds > 0 ? TimeSpan.FromSeconds(seconds) : System.Threading.Timeout.InfiniteTimeSpan);
        }

        public TimeoutException TimedOut() => new($"Waited more than {Timeout.TotalSeconds:0.#} s for another write to the SQLite database to finish.");

        public void Dispose() => Semaphore.Release();
    }
}
