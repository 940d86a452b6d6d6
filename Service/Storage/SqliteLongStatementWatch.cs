using System.Diagnostics;
using IndustryData.OData.Service.Querying;
using SQLitePCL;

namespace IndustryData.OData.Service.Storage;

/// <summary>
/// Watches one running list statement on SQLite through the connection's progress callback (called every
/// <see cref="InstructionsPerCall"/> virtual machine instructions, on the thread that runs the statement): once it has
/// done more than <see cref="LongStatementSlots.Instructions"/> it goes on only while it holds a
/// <see cref="LongStatementSlots"/> slot. A statement waiting for one is paused inside the callback and uses no CPU; when
/// the budget runs out while it waits, the callback stops it with SQLITE_INTERRUPT, as the budget's own interrupt would.
/// When the queue for slots is full it is stopped at once, and its budget answers 503 instead of 400.
/// </summary>
internal sealed class SqliteLongStatementWatch : IDisposable
{
    private const int InstructionsPerCall = 10_000;

    private readonly sqlite3 handle;
    private readonly LongStatementSlots slots;
    private readonly StatementBudget budget;
    private long instructions;
    private long heldSince;
    private bool holding;
    private bool ended;

    public SqliteLongStatementWatch(sqlite3 handle, LongStatementSlots slots, StatementBudget budget)
    {
        this.handle = handle;
        this.slots = slots;
        this.budget = budget;
        raw.sqlite3_progress_handler(handle, InstructionsPerCall, OnProgress, null);
    }

    private int OnProgress(object user)
    {
        instructions += InstructionsPerCall;
        if (instructions <= slots.Instructions)
        {
            return 0;
        }

        if (holding)
        {
            if (Stopwatch.GetElapsedTime(heldSince) < LongStatementSlots.Quantum || !slots.OthersWaiting)
            {
                return 0;
            }

            holding = false; // a turn is over: let a waiting statement advance, then queue again
            slots.Release();
        }

        switch (slots.Enter(budget.Token))
        {
            case LongStatementSlots.Entry.Cancelled:
                return 1;
            case LongStatementSlots.Entry.Full:
                budget.RefuseBusy();
                return 1;
        }

        holding = true;
        heldSince = Stopwatch.GetTimestamp();
        return 0;
    }

    public void Dispose()
    {
        if (ended)
        {
            return;
        }

        ended = true;
        raw.sqlite3_progress_handler(handle, 0, null, null);
        if (holding)
        {
            holding = false;
            slots.Release();
        }
    }
}
