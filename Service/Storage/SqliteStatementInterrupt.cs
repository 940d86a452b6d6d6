using System.Data.Common;
using System.Runtime.CompilerServices;
using IndustryData.OData.Service.Querying;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IndustryData.OData.Service.Storage;

/// <summary>
/// Makes a query's cancellation token stop a running SQLite statement: Microsoft.Data.Sqlite looks at the token only
/// before it starts (SqliteCommand.Cancel is a no-op), so while the reader is open the token's cancellation calls
/// sqlite3_interrupt on the connection; the statement fails with SQLITE_INTERRUPT (9) and ends its read transaction.
/// The registration ends with the reader, so a later statement on the pooled connection is never interrupted. A list's
/// statement is also watched for its work (<see cref="SqliteLongStatementWatch"/>): past a threshold it needs one of the
/// few long-statement slots.
/// </summary>
public sealed class SqliteStatementInterrupt : DbCommandInterceptor
{
    private readonly ConditionalWeakTable<DbCommand, Registration> registrations = new();

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.CanBeCanceled && command.Connection is SqliteConnection { Handle: { } handle })
        {
            var watch = StatementBudget.Running is { Slots: { Instructions: > 0 and var threshold } } budget ? new SqliteLongStatementWatch(handle, budget, threshold) : null;
            registrations.AddOrUpdate(command, new Registration(cancellationToken.Register(() => SQLitePCL.raw.sqlite3_interrupt(handle)), watch));
        }

        return ValueTask.FromResult(result);
    }

    public override InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        End(command);
        return result;
    }

    public override ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        End(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        End(command);
        return result;
    }

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        End(command);
        return Task.CompletedTask;
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => End(command);

    public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        End(command);
        return Task.CompletedTask;
    }

    private void End(DbCommand command)
    {
        if (registrations.TryGetValue(command, out var registration))
        {
            registrations.Remove(command);
            registration.Interrupt.Dispose();
            registration.Watch?.Dispose();
        }
    }

    private sealed record Registration(CancellationTokenRegistration Interrupt, SqliteLongStatementWatch? Watch);
}
