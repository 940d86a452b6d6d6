using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// Registers on every SQLite connection the functions <see cref="SqliteODataFunctionTranslator"/> calls where SQLite
/// has no exact built-in. Each runs <see cref="ODataFunctions"/>, so SQLite filters rows with exactly the semantics
/// constants get; all are deterministic. Regular expressions are .NET's in ECMAScript mode with a match timeout
/// (<see cref="ODataFunctions.PatternTimeout"/>): a pattern that backtracks too long fails the query
/// (<see cref="PatternTimedOut"/>) instead of holding the database.
/// </summary>
public sealed class SqliteODataFunctions : DbCommandInterceptor
{
    /// <summary>Every function's name starts with this; a command that does not name one needs none registered.</summary>
    public const string Prefix = "odata_";

    public const string Lower = Prefix + "lower";
    public const string Upper = Prefix + "upper";
    public const string Trim = Prefix + "trim";
    public const string Matches = Prefix + "matches";
    public const string FractionalSeconds = Prefix + "fractionalseconds";
    public const string TicksBetween = Prefix + "ticks_between";
    public const string AddTicks = Prefix + "add_ticks";
    public const string TotalSeconds = Prefix + "totalseconds";

    /// <summary>The text of the error SQLite reports when a pattern exceeds its match timeout.</summary>
    public const string PatternTimedOut = "odata_matches: the regular expression took too long";

    private const int MaxCachedPatterns = 64;

    private static readonly ConcurrentDictionary<(string Pattern, string Flags), Regex> Patterns = new();

    // Microsoft.Data.Sqlite keeps a connection's functions and registers them again on every open of that connection
    // (a pooled native handle does not keep them for the next connection object): register once per connection object,
    // and only when a command calls one. Registering all of them on every open cost each request ~30 µs (bench/compare.sh).
    private readonly ConditionalWeakTable<SqliteConnection, object> registered = new();

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Register(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result,
        CancellationToken cancellationToken = default)
    {
        Register(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Register(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result,
        CancellationToken cancellationToken = default)
    {
        Register(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Register(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Register(command);
        return ValueTask.FromResult(result);
    }

    public static void RegisterOn(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.CreateFunction<string?, string?>(Lower, ODataFunctions.ToLower, isDeterministic: true);
        connection.CreateFunction<string?, string?>(Upper, ODataFunctions.ToUpper, isDeterministic: true);
        connection.CreateFunction<string?, string?>(Trim, ODataFunctions.Trim, isDeterministic: true);
        connection.CreateFunction<string?, string?, string?, bool?>(Matches, IsMatch, isDeterministic: true);
        connection.CreateFunction<string?, decimal?>(FractionalSeconds, stored => ODataFunctions.FractionalSeconds(ODataFunctions.ParseStored(stored)), isDeterministic: true);
        connection.CreateFunction<string?, string?, long?>(TicksBetween,
            (later, earlier) => ODataFunctions.TicksBetween(ODataFunctions.ParseStored(later), ODataFunctions.ParseStored(earlier)), isDeterministic: true);
        connection.CreateFunction<string?, long?, string?>(AddTicks,
            (stored, ticks) => ODataFunctions.AddTicks(ODataFunctions.ParseStored(stored), ticks) is { } sum ? ODataFunctions.FormatStored(sum) : null, isDeterministic: true);
        connection.CreateFunction<long?, decimal?>(TotalSeconds, ODataFunctions.TotalSeconds, isDeterministic: true);
    }

    private static bool? IsMatch(string? text, string? pattern, string? flags)
    {
        if (text is null || pattern is null || flags is null)
        {
            return null;
        }

        if (Patterns.Count >= MaxCachedPatterns)
        {
            Patterns.Clear();
        }

        var regex = Patterns.GetOrAdd((pattern, flags), key => ODataFunctions.Pattern(key.Pattern, key.Flags));
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            throw new InvalidOperationException(PatternTimedOut);
        }
    }

    private void Register(DbCommand command)
    {
        if (command.Connection is SqliteConnection sqlite && command.CommandText.Contains(Prefix, StringComparison.Ordinal) && registered.TryAdd(sqlite, registered))
        {
            RegisterOn(sqlite);
        }
    }
}
