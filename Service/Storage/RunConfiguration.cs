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

        ConfigureIndexes(builder);
        Changes.ChangeTrackingConfiguration.ConfigureRuns(builder, IsSqlite);
    }

    /// <summary>
    /// One index per documented list shape, each ending in id: lists are ordered by their keys then id, so an index
    /// serves both the filter and the order, and a $skiptoken cursor is a seek. (docs/scale.md lists the shapes.)
    /// </summary>
    private static void ConfigureIndexes(EntityTypeBuilder<Run> builder)
    {
        // $filter=status eq …, the type-cast sets filtered by status, $orderby=status [desc].
        builder.HasIndex(r => new { r.Status, r.Id }).HasDatabaseName("IX_runs_status_id");
        // $filter=status eq … with $orderby=startDateTime [desc] or a startDateTime range.
        builder.HasIndex(r => new { r.Status, r.StartDateTime, r.Id }).HasDatabaseName("IX_runs_status_startDateTime_id");
        // $orderby=startDateTime [desc], startDateTime ranges.
        builder.HasIndex(r => new { r.StartDateTime, r.Id }).HasDatabaseName("IX_runs_startDateTime_id");
        // $orderby=endDateTime [desc], $filter=endDateTime eq null (running runs).
        builder.HasIndex(r => new { r.EndDateTime, r.Id }).HasDatabaseName("IX_runs_endDateTime_id");
        // $orderby=displayName [desc], startswith(displayName, …).
        builder.HasIndex(r => new { r.DisplayName, r.Id }).HasDatabaseName("IX_runs_displayName_id");
        // The type-cast sets and isof(…).
        builder.HasIndex(DiscriminatorColumn, nameof(Run.Id)).HasDatabaseName("IX_runs_type_id");
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
