using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IndustryData.OData.Service.Querying;

/// <summary>Starts the <see cref="StatementBudget"/> clock of the current list as each of its statements starts (both providers).</summary>
public sealed class StatementBudgetClock : DbCommandInterceptor
{
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        StatementBudget.StatementStarting();
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        StatementBudget.StatementStarting();
        return ValueTask.FromResult(result);
    }
}
