using IndustryData.OData.Model.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IndustryData.OData.Service.Storage;

/// <summary>One table for the whole run hierarchy (TPH), JSON text for the complex values.</summary>
public sealed class RunConfiguration(string? providerName) : IEntityTypeConfiguration<Run>
{
    public const string TableName = "runs";
    public const string DiscriminatorColumn = "type";
    public const int DisplayNameMaxLength = 256;
    public const int IdMaxLength = 36;

    private bool IsSqlite => providerName == "Microsoft.EntityFrameworkCore.Sqlite";

    public void Configure(EntityTypeBuilder<Run> builder)
    {
        builder.ToTable(TableName);
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasColumnName("id").HasMaxLength(IdMaxLength).IsUnicode(false).ValueGeneratedNever();
        builder.HasDiscriminator<string>(DiscriminatorColumn)
            .HasValue<OutgoingFlowRun>("outgoingFlowRun")
            .HasValue<IncomingFlowRun>("incomingFlowRun");
        builder.Property(DiscriminatorColumn).HasMaxLength(32).IsUnicode(false);

        builder.Property(r => r.DisplayName).HasColumnName("displayName").HasMaxLength(DisplayNameMaxLength).IsRequired();
        ConfigureDateTime(builder.Property(r => r.StartDateTime).HasColumnName("startDateTime"));
        ConfigureDateTime(builder.Property(r => r.EndDateTime).HasColumnName("endDateTime"));
        builder.Property(r => r.Status).HasColumnName("status");
        builder.Property(r => r.BlockingError).HasColumnName("blockingError")
            .HasConversion(JsonColumns.PublicErrorConverter, JsonColumns.PublicErrorComparer);
        builder.Property(r => r.Statistics).HasColumnName("statistics").IsRequired()
            .HasConversion(JsonColumns.StatisticsConverter, JsonColumns.StatisticsComparer);

        ConfigureVersion(builder.Property(r => r.Version).HasColumnName("version"));

        builder.HasIndex(r => r.Status).HasDatabaseName("IX_runs_status");
        builder.HasIndex(r => r.StartDateTime).HasDatabaseName("IX_runs_startDateTime");
    }

    private void ConfigureDateTime<T>(PropertyBuilder<T> property)
    {
        if (IsSqlite)
        {
            // SQLite has no date-time type and EF cannot compare or order DateTimeOffset there; runs are stored in UTC,
            // so a UTC DateTime (ISO text that sorts correctly) loses nothing and keeps $filter/$orderby in SQL.
            if (typeof(T) == typeof(DateTimeOffset))
            {
                property.HasConversion(UtcDateTimeConverters.Required);
            }
            else
            {
                property.HasConversion(UtcDateTimeConverters.Optional);
            }
        }
        else
        {
            property.HasPrecision(7);
        }
    }

    private void ConfigureVersion(PropertyBuilder<long> property)
    {
        property.IsConcurrencyToken();
        if (IsSqlite)
        {
            // SQLite has no rowversion: the context stamps a new version on every write (see RunVersionStamper).
            property.ValueGeneratedNever();
        }
        else
        {
            property.IsRowVersion().HasConversion(RowVersionConverter.Instance);
        }
    }
}
