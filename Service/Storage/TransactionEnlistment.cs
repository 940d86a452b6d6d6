using System.Data.Common;

namespace IndustryData.OData.Service.Storage;

/// <summary>
/// Set on a scope before its <see cref="RunsDbContext"/> is resolved, to make that context work inside an open
/// transaction (a $batch part). Such a context is created fresh rather than leased from the pool: a pooled context
/// would go back to the pool still pointing at the batch's connection.
/// </summary>
public sealed class TransactionEnlistment
{
    public DbTransaction? Transaction { get; set; }
}
