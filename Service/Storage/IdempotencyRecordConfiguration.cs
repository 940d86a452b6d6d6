using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IndustryData.OData.Service.Storage;

public sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public const string TableName = "idempotencyKeys";
    public const int HashLength = 64;

    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable(TableName);
        builder.HasKey(record => record.KeyHash);
        builder.Property(record => record.KeyHash).HasColumnName("keyHash").HasMaxLength(HashLength).IsFixedLength().IsUnicode(false);
        builder.Property(record => record.RequestHash).HasColumnName("requestHash").HasMaxLength(HashLength).IsFixedLength().IsUnicode(false);
        builder.Property(record => record.RunId).HasColumnName("runId").HasMaxLength(RunConfiguration.IdMaxLength).IsUnicode(false);

        // Also the concurrency token: an expired record is reused in place only if nobody reused it first.
        builder.Property(record => record.CreatedAt).HasColumnName("createdAt").IsConcurrencyToken();

        // Pruning deletes the oldest records first, a bounded number at a time.
        builder.HasIndex(record => record.CreatedAt).HasDatabaseName("IX_idempotencyKeys_createdAt");
    }
}
