using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IndustryData.OData.Service.Changes;

/// <summary>
/// Storage for delta: a change sequence on every run, tombstones for deleted runs, and the tracking state.
/// SQL Server's rowversion is already a database-wide sequence (runs.version); SQLite gets a counter and triggers
/// (created by the SQLite ChangeTracking migration).
/// </summary>
public static class ChangeTrackingConfiguration
{
    public const string RunSequenceColumn = "changeSequence";
    public const string TombstonesTable = "runTombstones";
    public const string StateTable = "changeTracking";

    /// <summary>SQLite's triggers, declared so that EF Core does not rely on RETURNING for these tables.</summary>
    public static readonly string[] SqliteRunTriggers = ["runs_sequence_insert", "runs_sequence_update", TombstoneTrigger];

    /// <summary>Both providers: AFTER DELETE on runs writes the run's tombstone.</summary>
    public const string TombstoneTrigger = "runs_tombstone";
    public const string SqliteTombstoneTrigger = "runTombstones_sequence";

    public static void ConfigureRuns(EntityTypeBuilder<Run> runs, bool isSqlite)
    {
        if (isSqlite)
        {
            runs.Property<long>(RunSequenceColumn).HasColumnName(RunSequenceColumn).ValueGeneratedNever().HasDefaultValue(0L);
            runs.HasIndex(RunSequenceColumn).HasDatabaseName("IX_runs_changeSequence");
            runs.ToTable(table =>
            {
                foreach (var trigger in SqliteRunTriggers.Concat(Subscriptions.SubscriptionStorage.RunTriggers))
                {
                    table.HasTrigger(trigger);
                }
            });
        }
        else
        {
            runs.HasIndex(run => run.Version).HasDatabaseName("IX_runs_version");
            runs.ToTable(table =>
            {
                table.HasTrigger(TombstoneTrigger);
                foreach (var trigger in Subscriptions.SubscriptionStorage.RunTriggers)
                {
                    table.HasTrigger(trigger);
                }
            });
        }
    }

    public static void Configure(ModelBuilder model, bool isSqlite)
    {
        model.Entity<RunTombstone>(tombstone =>
        {
            tombstone.ToTable(TombstonesTable, table =>
            {
                if (isSqlite)
                {
                    table.HasTrigger(SqliteTombstoneTrigger);
                }
            });
            tombstone.HasKey(t => t.Id);
            tombstone.Property(t => t.Id).HasColumnName("id").HasMaxLength(RunConfiguration.IdMaxLength).IsUnicode(false).ValueGeneratedNever();
            tombstone.Property(t => t.Type).HasColumnName("type").HasMaxLength(32).IsUnicode(false);
            var sequence = tombstone.Property(t => t.Sequence).HasColumnName("sequence");
            if (isSqlite)
            {
                sequence.ValueGeneratedNever().HasDefaultValue(0L);
                tombstone.Property(t => t.DeletedAt).HasColumnName("deletedAt").HasConversion(UtcDateTimeConverters.Required);
            }
            else
            {
                sequence.IsRowVersion().HasConversion(RowVersionConverter.Instance);
                tombstone.Property(t => t.DeletedAt).HasColumnName("deletedAt").HasPrecision(7);
            }

            tombstone.HasIndex(t => t.Sequence).HasDatabaseName("IX_runTombstones_sequence");
            tombstone.HasIndex(t => t.DeletedAt).HasDatabaseName("IX_runTombstones_deletedAt");
        });

        model.Entity<ChangeTrackingState>(state =>
        {
            state.ToTable(StateTable);
            state.HasKey(s => s.Id);
            state.Property(s => s.Id).HasColumnName("id").ValueGeneratedNever();
            state.Property(s => s.LastSequence).HasColumnName("lastSequence");
            state.Property(s => s.PrunedThrough).HasColumnName("prunedThrough");
            state.HasData(new ChangeTrackingState());
        });
    }
}
