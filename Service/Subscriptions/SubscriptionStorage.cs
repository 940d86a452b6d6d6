using IndustryData.OData.Service.Storage;
using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Service.Subscriptions;

/// <summary>
/// The tables of change notifications: subscriptions (with their delivery state) and the notification log
/// (<see cref="RunChange"/>), which triggers on runs fill in the writing statement (the Subscriptions migrations).
/// </summary>
public static class SubscriptionStorage
{
    public const string SubscriptionsTable = "subscriptions";
    public const string ChangesTable = "runChanges";
    public const int UrlMaxLength = 2048;
    public const int ClientStateMaxLength = 128;
    public const int ResourceMaxLength = 2048;

    /// <summary>The triggers on runs that write the log (declared so EF Core does not rely on OUTPUT/RETURNING alone).</summary>
    public static readonly string[] RunTriggers = ["runs_notify_insert", "runs_notify_update", "runs_notify_delete"];

    public static void Configure(ModelBuilder model, bool isSqlite)
    {
        model.Entity<SubscriptionRecord>(subscription =>
        {
            subscription.ToTable(SubscriptionsTable);
            subscription.HasKey(s => s.Id);
            subscription.Property(s => s.Id).HasColumnName("id").HasMaxLength(RunConfiguration.IdMaxLength).IsUnicode(false).ValueGeneratedNever();
            subscription.Property(s => s.Owner).HasColumnName("owner").HasMaxLength(512);
            subscription.Property(s => s.ApplicationId).HasColumnName("applicationId").HasMaxLength(256);
            subscription.Property(s => s.CreatorId).HasColumnName("creatorId").HasMaxLength(256);
            subscription.Property(s => s.ChangeTypes).HasColumnName("changeTypes");
            subscription.Property(s => s.Resource).HasColumnName("resource").HasMaxLength(ResourceMaxLength);
            subscription.Property(s => s.NotificationUrl).HasColumnName("notificationUrl").HasMaxLength(UrlMaxLength);
            subscription.Property(s => s.LifecycleNotificationUrl).HasColumnName("lifecycleNotificationUrl").HasMaxLength(UrlMaxLength);
            subscription.Property(s => s.ClientState).HasColumnName("clientState").HasMaxLength(ClientStateMaxLength);
            subscription.Property(s => s.ExpirationDateTime).HasColumnName("expirationDateTime");
            subscription.Property(s => s.CreatedDateTime).HasColumnName("createdDateTime");
            subscription.Property(s => s.DeliveredThrough).HasColumnName("deliveredThrough");
            subscription.Property(s => s.LeaseOwner).HasColumnName("leaseOwner").HasMaxLength(64).IsUnicode(false);
            subscription.Property(s => s.LeaseExpiresAt).HasColumnName("leaseExpiresAt");
            subscription.Property(s => s.NextAttemptAt).HasColumnName("nextAttemptAt");
            subscription.Property(s => s.FailingSince).HasColumnName("failingSince");
            subscription.Property(s => s.FailedAttempts).HasColumnName("failedAttempts");

            // A caller's list, and the 409 for a second subscription of the same resource and change types.
            subscription.HasIndex(s => new { s.Owner, s.Id }).HasDatabaseName("IX_subscriptions_owner_id");
            // The dispatcher's scan for work, and expiry.
            subscription.HasIndex(s => s.NextAttemptAt).HasDatabaseName("IX_subscriptions_nextAttemptAt");
            subscription.HasIndex(s => s.ExpirationDateTime).HasDatabaseName("IX_subscriptions_expirationDateTime");
        });

        model.Entity<RunChange>(change =>
        {
            change.ToTable(ChangesTable);
            change.Property(c => c.ChangeType).HasColumnName("changeType");
            change.Property(c => c.RunId).HasColumnName("runId").HasMaxLength(RunConfiguration.IdMaxLength).IsUnicode(false);
            change.Property(c => c.Type).HasColumnName("type").HasMaxLength(32).IsUnicode(false);
            change.Property(c => c.DisplayName).HasColumnName("displayName").HasMaxLength(RunConfiguration.DisplayNameMaxLength);
            change.Property(c => c.Status).HasColumnName("status");
            change.Property(c => c.BlockingError).HasColumnName("blockingError");
            change.Property(c => c.Statistics).HasColumnName("statistics");
            change.Property(c => c.Version).HasColumnName("version");
            if (isSqlite)
            {
                change.Ignore(c => c.Id);
                change.HasKey(c => c.Sequence);
                change.Property(c => c.Sequence).HasColumnName("sequence").ValueGeneratedOnAdd();
                change.Property(c => c.StartDateTime).HasColumnName("startDateTime").HasConversion(UtcDateTimeConverters.Required);
                change.Property(c => c.EndDateTime).HasColumnName("endDateTime").HasConversion(UtcDateTimeConverters.Optional);
                change.Property(c => c.RecordedAt).HasColumnName("recordedAt");
            }
            else
            {
                change.HasKey(c => c.Id);
                change.Property(c => c.Id).HasColumnName("id").ValueGeneratedOnAdd();
                change.Property(c => c.Sequence).HasColumnName("sequence").IsRowVersion().HasConversion(RowVersionConverter.Instance);
                change.HasIndex(c => c.Sequence).IsUnique().HasDatabaseName("IX_runChanges_sequence");
                change.Property(c => c.StartDateTime).HasColumnName("startDateTime").HasPrecision(7);
                change.Property(c => c.EndDateTime).HasColumnName("endDateTime").HasPrecision(7);
                change.Property(c => c.RecordedAt).HasColumnName("recordedAt").HasPrecision(7);
            }
        });
    }
}
