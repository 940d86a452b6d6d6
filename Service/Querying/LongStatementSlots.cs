using Microsoft.Extensions.Options;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// Where the database runs on the service's own cores (SQLite), the few slots in which a list statement may go on once
/// it has done more than <see cref="QueryingOptions.LongStatementInstructions"/> of work: queries no index serves then
/// take turns on <see cref="QueryingOptions.LongStatementSlots"/> cores instead of all of them, and reads by key, index
/// seeks and writes keep the rest. A holder gives its slot up after <see cref="Quantum"/> when others wait, so long
/// statements advance in turns; the time spent waiting counts against the statement budget like any other. At most as
/// many wait as there are slots: a further one is stopped at once and answered 503 with Retry-After, since every waiting
/// statement holds one of the threads the rest of the service needs.
/// </summary>
public sealed class LongStatementSlots : IDisposable
{
    /// <summary>How long a long statement keeps its slot before it lets a waiting one have a turn.</summary>
    public static readonly TimeSpan Quantum = TimeSpan.FromMilliseconds(50);

    private readonly SemaphoreSlim slots;
    private int waiting;

    public LongStatementSlots(IOptions<QueryingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var count = options.Value.LongStatementSlots > 0 ? options.Value.LongStatementSlots : Math.Max(1, Environment.ProcessorCount / 2);
        slots = new SemaphoreSlim(count, count);
        MaxWaiting = count;
        Instructions = options.Value.LongStatementInstructions;
    }

    /// <summary>The work (SQLite virtual machine instructions) after which a statement counts as long; 0 turns the slots off.</summary>
    public long Instructions { get; }

    /// <summary>Whether a long statement is waiting for a turn.</summary>
    public bool OthersWaiting => Volatile.Read(ref waiting) > 0;

    /// <summary>How many long statements may wait for a turn at once (as many as there are slots); more are refused at once.</summary>
    public int MaxWaiting { get; }

    /// <summary>
    /// Waits for a slot. Full (at once) when <see cref="MaxWaiting"/> statements already wait: a waiting statement holds a
    /// thread, so the queue is bounded and the rest of the service keeps its threads. Cancelled when
    /// <paramref name="budget"/> ran out (or the caller went away) first.
    /// </summary>
    public Entry Enter(CancellationToken budget)
    {
        if (slots.Wait(0, CancellationToken.None))
        {
            return Entry.Granted;
        }

        if (Interlocked.Increment(ref waiting) > MaxWaiting)
        {
            Interlocked.Decrement(ref waiting);
            return Entry.Full;
        }

        try
        {
            slots.Wait(budget);
            return Entry.Granted;
        }
        catch (OperationCanceledException)
        {
            return Entry.Cancelled;
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
        }
    }

    /// <summary>For tests and tools: holds a slot as a long statement would (true) until <see cref="Release"/>.</summary>
    public bool Wait(CancellationToken budget) => Enter(budget) == Entry.Granted;

    public void Release() => slots.Release();

    public void Dispose() => slots.Dispose();

    public enum Entry
    {
        Granted,
        Cancelled,
        Full,
    }
}
