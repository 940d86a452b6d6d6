using IndustryData.OData.Service.Querying;
using SQLitePCL;

namespace IndustryData.OData.Service.Storage;

/// <summary>
/// Watches one running list statement on SQLite through the connection's progress callback (called every
/// <see cref="InstructionsPerCall"/> virtual machine instructions, on the thread that runs the statement): once it has
/// done more than <see cref="LongStatementSlots.Instructions"/> it goes on only if its list holds, or can take at once,
/// a <see cref="LongStatementSlots"/> slot (<see cref="StatementBudget.GoOnLong"/>); otherwise the callback stops it
/// with SQLITE_INTERRUPT and the list waits for a slot without a thread, then runs again.
/// </summary>
internal sealed class SqliteLongStatementWatch : IDisposable
{
    private const int InstructionsPerCall = 10_000;

    private readonly sqlite3 handle;
    private readonly StatementBudget budget;
    private readonly long threshold;
    private long instructions;
    private bool ended;

    public SqliteLongStatementWatch(sqlite3 handle, StatementBudget budget, long threshold)
    {
        this.handle = handle;
        this.budget = budget;
        this.threshold = threshold;
        raw.sqlite3_progress_handler(handle, InstructionsPerCall, OnProgress, null);
    }

    private int OnProgress(object user)
    {
        instructions += InstructionsPerCall;
        return instructions <= threshold || budget.GoOnLong() ? 0 : 1;
    }

    public void Dispose()
    {
        if (!ended)
        {
            ended = true;
            raw.sqlite3_progress_handler(handle, 0, null, null);
        }
    }
}
