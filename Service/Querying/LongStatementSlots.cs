using Microsoft.Extensions.Options;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// Where the database runs on the service's own cores (SQLite), the few slots in which a list may go on once one of its
/// statements has done more than <see cref="QueryingOptions.LongStatementInstructions"/> of work: queries no index serves
/// then run <see cref="QueryingOptions.LongStatementSlots"/> at a time instead of on every core, and reads by key, index
/// seeks and writes keep the rest. A list that turns long while every slot is taken is stopped (having done at most the
/// threshold's work), waits for a slot without holding a thread, and runs again holding it
/// (<see cref="StatementBudget.RunAsync{TResult}"/>); the wait is bounded by its statement budget.
/// </summary>
public sealed class LongStatementSlots : IDisposable
{
    private readonly SemaphoreSlim slots;

    public LongStatementSlots(IOptions<QueryingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var count = options.Value.LongStatementSlots > 0 ? options.Value.LongStatementSlots : Math.Max(1, Environment.ProcessorCount / 2);
        slots = new SemaphoreSlim(count, count);
        Instructions = options.Value.LongStatementInstructions;
    }

    /// <summary>The work (SQLite virtual machine instructions) after which a statement counts as long; 0 turns the slots off.</summary>
    public long Instructions { get; }

    /// <summary>Takes a free slot, if there is one, without waiting.</summary>
    public bool TryEnter() => slots.Wait(0, CancellationToken.None);

    /// <summary>Waits for a slot without holding a thread; false when <paramref name="timeout"/> passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => slots.WaitAsync(timeout, cancellationToken);

    /// <summary>For tests and tools: holds a slot as a long list would, until <see cref="Release"/>.</summary>
    public bool Wait(CancellationToken cancellationToken)
    {
        slots.Wait(cancellationToken);
        return true;
    }

    public void Release() => slots.Release();

    public void Dispose() => slots.Dispose();
}
