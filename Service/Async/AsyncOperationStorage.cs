using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Service.Async;

/// <summary>The asyncOperations table: the monitor reads one row by key; runners scan by status, pruning by expiry.</summary>
public static class AsyncOperationStorage
{
    public const string Table = "asyncOperations";

    public static void Configure(ModelBuilder model) => model.Entity<AsyncOperation>(operation =>
    {
        operation.ToTable(Table);
        operation.HasKey(o => o.Id);
        operation.Property(o => o.Id).HasColumnName("id").HasMaxLength(36).IsUnicode(false).ValueGeneratedNever();
        operation.Property(o => o.Owner).HasColumnName("owner").HasMaxLength(1024);
        operation.Property(o => o.Principal).HasColumnName("principal");
        operation.Property(o => o.Method).HasColumnName("method").HasMaxLength(16).IsUnicode(false);
        operation.Property(o => o.BaseUri).HasColumnName("baseUri").HasMaxLength(2048);
        operation.Property(o => o.Target).HasColumnName("target");
        operation.Property(o => o.RequestHeaders).HasColumnName("requestHeaders");
        operation.Property(o => o.RequestBody).HasColumnName("requestBody");
        operation.Property(o => o.Status).HasColumnName("status");
        operation.Property(o => o.CreatedAt).HasColumnName("createdAt");
        operation.Property(o => o.ExpiresAt).HasColumnName("expiresAt");
        operation.Property(o => o.LeaseOwner).HasColumnName("leaseOwner").HasMaxLength(64).IsUnicode(false);
        operation.Property(o => o.LeaseExpiresAt).HasColumnName("leaseExpiresAt");
        operation.Property(o => o.ResponseStatus).HasColumnName("responseStatus");
        operation.Property(o => o.ResponseHeaders).HasColumnName("responseHeaders");
        operation.Property(o => o.ResponseBody).HasColumnName("responseBody");
        operation.Property(o => o.CompletedAt).HasColumnName("completedAt");

        // Runners look for queued work and for running work whose lease ran out; pruning by expiry.
        operation.HasIndex(o => new { o.Status, o.LeaseExpiresAt }).HasDatabaseName("IX_asyncOperations_status_lease");
        operation.HasIndex(o => o.ExpiresAt).HasDatabaseName("IX_asyncOperations_expiresAt");
    });
}
