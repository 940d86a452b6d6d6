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
}

/// <summary>
/// The time one list's statements may take (<see cref="QueryingOptions.StatementBudget"/>): a token that fires when it is
/// spent (or the request is aborted). EF Core passes it to the command: SqlClient cancels the statement on the server
/// (an attention); on SQLite <see cref="Storage.SqliteStatementInterrupt"/> calls sqlite3_interrupt, since
/// Microsoft.Data.Sqlite checks a token only before it starts. Either way the statement stops and its read snapshot
/// and locks go with it.
/// </summary>
public sealed class StatementBudget : IDisposable
{
    private readonly CancellationTokenSource source;
    private readonly CancellationToken aborted;
    private readonly TimeSpan limit;

    public StatementBudget(TimeSpan limit, CancellationToken aborted)
    {
        this.limit = limit;
        this.aborted = aborted;
        source = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        if (limit > TimeSpan.Zero && limit < TimeSpan.FromMilliseconds(1))
        {
            source.Cancel(); // less than the timer's resolution: spent before the first statement
        }
        else if (limit > TimeSpan.Zero && limit != Timeout.InfiniteTimeSpan)
        {
            source.CancelAfter(limit);
        }
    }

    public CancellationToken Token => source.Token;

    /// <summary>The exception is the budget running out (not the caller going away, not another fault).</summary>
    public bool IsExceeded(Exception exception) =>
        source.IsCancellationRequested && !aborted.IsCancellationRequested
        && exception is OperationCanceledException or SqliteException { SqliteErrorCode: 9 } or SqlException { Number: 0 or -2 or 3980 } or InvalidOperationException;

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

    public void Dispose() => source.Dispose();
}
