using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IndustryData.OData.Tests.Storage;

/// <summary>
/// Lets EF run a query to the point of sending it, without a server: opening the connection is skipped, and the
/// command text is recorded and the command stopped with <see cref="OfflineCommandException"/>.
/// </summary>
public sealed class CapturedSql : DbCommandInterceptor, IDbConnectionInterceptor
{
    private readonly List<string> commands = [];
    private readonly List<IReadOnlyList<DbParameter>> parameters = [];

    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (commands)
            {
                return [.. commands];
            }
        }
    }

    /// <summary>The parameters of each recorded command, in the order of <see cref="Commands"/>.</summary>
    public IReadOnlyList<IReadOnlyList<DbParameter>> Parameters
    {
        get
        {
            lock (commands)
            {
                return [.. parameters];
            }
        }
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        throw Stop(command);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) => throw Stop(command);

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
        throw Stop(command);

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default) => throw Stop(command);

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
        throw Stop(command);

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default) => throw Stop(command);

    InterceptionResult IDbConnectionInterceptor.ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        InterceptionResult.Suppress();

    ValueTask<InterceptionResult> IDbConnectionInterceptor.ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData,
        InterceptionResult result, CancellationToken cancellationToken) => ValueTask.FromResult(InterceptionResult.Suppress());

    private OfflineCommandException Stop(DbCommand command)
    {
        lock (commands)
        {
            commands.Add(command.CommandText);
            parameters.Add([.. command.Parameters.Cast<DbParameter>()]);
        }

        return new OfflineCommandException(command.CommandText);
    }
}

public sealed class OfflineCommandException(string commandText) : Exception($"Not sent (offline): {commandText}");
