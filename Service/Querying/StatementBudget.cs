using IndustryData.OData.Service.Errors;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace IndustryData.OData.Service.Querying;

/// <summary>Bound from the "Querying" section.</summary>
public sealed class QueryingOptions
{
    public const string SectionName = "Querying";

    /// <summary>
    /// How long the statements of one list (its page and its $count) may run. Every documented shape is an index seek
    /// that takes milliseconds; this bounds what no index serves (e.g. contains with fewer than 3 characters, or a
    /// condition on a computed value over the whole table). Past it the statement is interrupted and the caller gets 400
    /// queryTooExpensive.
    /// </summary>
    public TimeSpan StatementBudget { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// On SQLite, the work (virtual machine instructions) after which a list statement is long and must take turns in
    /// <see cref="LongStatementSlots"/>; an index seek for a page of 100 runs does a few tens of thousands. 0 turns the
    /// slots off.
    /// </summary>
    public long LongStatementInstructions { get; set; } = 2_000_000;

    /// <summary>How many long statements may run at once; 0 means half the cores (at least 1).</summary>
    public int LongStatementSlots { get; set; }

    /// <summary>
    /// From how many runs holding a literal's trigrams on contains/endswith on displayName is a word common, so that the
    /// list walks the table in its order instead of reading every match from the trigram index first
    /// (<see cref="Search.NameSubstringIndex"/>); 0 means 1 run in 200 (at least 2,000).
    /// </summary>
    public int CommonWordMatches { get; set; }
}

/// <summary>
/// The time each statement of one list may take (<see cref="QueryingOptions.StatementBudget"/>): a token that fires when a
/// statement has run longer (or the request is aborted). The clock starts when a statement starts executing
/// (<see cref="StatementBudgetClock"/>), so building and compiling the query, cold or not, never counts. EF Core passes
/// the token to the command: SqlClient cancels the statement on the server (an attention); on SQLite
/// <see cref="Storage.SqliteStatementInterrupt"/> calls sqlite3_interrupt, since Microsoft.Data.Sqlite checks a token
/// only before it starts. Either way the statement stops and its read snapshot and locks go with it.
/// </summary>
public sealed class StatementBudget : IDisposable
{
    private static readonly AsyncLocal<StatementBudget?> Current = new();

    private readonly CancellationTokenSource source;
    private readonly CancellationToken aborted;
    private readonly TimeSpan limit;
    private readonly StatementBudget? outer;
    private bool holdsSlot;
    private bool rerunnable;
    private bool deferred;

    public StatementBudget(TimeSpan limit, CancellationToken aborted, LongStatementSlots? slots = null)
    {
        this.limit = limit;
        Slots = slots;
        this.aborted = aborted;
        source = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        outer = Current.Value;
        Current.Value = this;
    }

    /// <summary>A statement of the current list starts: it gets the whole budget.</summary>
    public static void StatementStarting()
    {
        if (Current.Value is not { } budget || budget.source.IsCancellationRequested)
        {
            return;
        }

        if (budget.limit > TimeSpan.Zero && budget.limit < TimeSpan.FromMilliseconds(1))
        {
            budget.source.Cancel(); // less than the timer's resolution: spent as soon as the statement starts
        }
        else if (budget.limit > TimeSpan.Zero && budget.limit != Timeout.InfiniteTimeSpan)
        {
            budget.source.CancelAfter(budget.limit);
        }
    }

    public CancellationToken Token => source.Token;

    /// <summary>The long-statement slots the statements of this list take turns in, if any.</summary>
    public LongStatementSlots? Slots { get; }

    /// <summary>The budget of the list whose statement is starting on this flow, if any.</summary>
    public static StatementBudget? Running => Current.Value;

    /// <summary>The exception is the budget running out (not the caller going away, not another fault).</summary>
    public bool IsExceeded(Exception exception) =>
        source.IsCancellationRequested && !aborted.IsCancellationRequested
        && exception is OperationCanceledException or SqliteException { SqliteErrorCode: 9 } or SqlException { Number: 0 or -2 or 3980 } or InvalidOperationException;

    /// <summary>
    /// A statement of this list has turned long: true when the list holds a long-statement slot or takes a free one now
    /// (kept until the list ends); false when every slot is taken — the statement is then stopped and
    /// <see cref="RunAsync{TResult}"/> waits for a slot and runs the list's statements again.
    /// </summary>
    public bool GoOnLong()
    {
        if (holdsSlot || Slots is null || !rerunnable)
        {
            return true; // a list not run through RunAsync (one that streams its answer) cannot run again: it is not held
        }

        if (Slots.TryEnter())
        {
            holdsSlot = true;
            return true;
        }

        deferred = true;
        return false;
    }

    /// <summary>
    /// Runs the statements of one list within this budget. If one turns long while every long-statement slot is taken, it
    /// is stopped (<see cref="GoOnLong"/>), a slot is awaited without holding a thread — at most the budget's time, then
    /// 503 with Retry-After — and the statements run again holding it. Only a read runs here, so running it again is safe.
    /// </summary>
    public async Task<TResult> RunAsync<TResult>(Func<CancellationToken, Task<TResult>> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        rerunnable = true;
        try
        {
            return await statements(Token);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 9 && deferred && !source.IsCancellationRequested)
        {
            deferred = false;
        }
        finally
        {
            rerunnable = false;
        }

        if (!await Slots!.WaitAsync(limit > TimeSpan.Zero ? limit : Timeout.InfiniteTimeSpan, aborted))
        {
            throw Busy();
        }

        holdsSlot = true;
        return await statements(Token);
    }

    /// <summary>400 queryTooExpensive naming what would make the query cheap.</summary>
    public ApiException TooExpensive(RunQueryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        var filter = options.Options.RawValues.Filter;
        var shortContains = filter is not null && System.Text.RegularExpressions.Regex.IsMatch(filter, @"(contains|endswith)\s*\(\s*displayName\s*,\s*'[^']{0,2}'\s*\)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        var hint = shortContains
            ? "contains and endswith on displayName use an index from 3 characters on: search for a longer part of the name, or add "
            : "Add ";
        return ApiException.BadRequest("queryTooExpensive",
            $"The query needed more than the statement budget of {limit.TotalSeconds:0.###} s: no index serves it, so it reads the whole table. {hint}"
            + "a condition an index serves: a startDateTime range (startDateTime ge 2026-01-01T00:00:00Z and startDateTime lt 2026-01-02T00:00:00Z), "
            + "status eq 'failed' (with the range), startswith(displayName,'…'), contains(displayName,'…') with at least 3 characters, or $search=word.",
            filter is null ? "$search" : "$filter");
    }

    /// <summary>400 queryTooExpensive for <paramref name="target"/>, with <paramref name="advice"/> on what would make it cheap.</summary>
    public ApiException TooExpensive(string target, string advice) => ApiException.BadRequest("queryTooExpensive",
        $"The query needed more than the statement budget of {limit.TotalSeconds:0.###} s: no index serves it, so it reads the whole table. {advice}", target);

    private ApiException Busy() => new(StatusCodes.Status503ServiceUnavailable, "expensiveQueriesBusy",
        $"The service runs only a few queries that no index serves at once, and this one waited {limit.TotalSeconds:0.###} s without its turn; nothing else is affected. "
        + "Retry after 1 s, or add a condition an index serves (a startDateTime range, status eq 'failed', startswith(displayName,'…')) so the query is not a long one.")
    {
        Headers = { ["Retry-After"] = "1" },
    };

    public void Dispose()
    {
        Current.Value = outer;
        source.Dispose();
        if (holdsSlot)
        {
            holdsSlot = false;
            Slots!.Release();
        }
    }
}
