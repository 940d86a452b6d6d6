using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IndustryData.OData.Service.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Subscriptions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "runChanges",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    changeType = table.Column<int>(type: "INTEGER", nullable: false),
                    runId = table.Column<string>(type: "TEXT", unicode: false, maxLength: 36, nullable: false),
                    type = table.Column<string>(type: "TEXT", unicode: false, maxLength: 32, nullable: false),
                    displayName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    startDateTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    endDateTime = table.Column<DateTime>(type: "TEXT", nullable: true),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    blockingError = table.Column<string>(type: "TEXT", nullable: true),
                    statistics = table.Column<string>(type: "TEXT", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false),
                    recordedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_runChanges", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "subscriptions",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", unicode: false, maxLength: 36, nullable: false),
                    owner = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    applicationId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    creatorId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    changeTypes = table.Column<int>(type: "INTEGER", nullable: false),
                    resource = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    notificationUrl = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    lifecycleNotificationUrl = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    clientState = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    expirationDateTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    createdDateTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    deliveredThrough = table.Column<long>(type: "INTEGER", nullable: false),
                    leaseOwner = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: true),
                    leaseExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    nextAttemptAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    failingSince = table.Column<DateTime>(type: "TEXT", nullable: true),
                    failedAttempts = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subscriptions", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_subscriptions_expirationDateTime",
                table: "subscriptions",
                column: "expirationDateTime");

            migrationBuilder.CreateIndex(
                name: "IX_subscriptions_nextAttemptAt",
                table: "subscriptions",
                column: "nextAttemptAt");

            migrationBuilder.CreateIndex(
                name: "IX_subscriptions_owner_id",
                table: "subscriptions",
                columns: new[] { "owner", "id" });

            // The notification log: each write of a run records itself, in the writing statement, while anyone subscribes.
            // The update trigger names the data columns, so the change-sequence triggers' own updates do not count.
            migrationBuilder.Sql("""
                CREATE TRIGGER runs_notify_insert AFTER INSERT ON runs WHEN EXISTS (SELECT 1 FROM subscriptions)
                BEGIN
                    INSERT INTO runChanges (changeType, runId, type, displayName, startDateTime, endDateTime, status, blockingError, statistics, version, recordedAt)
                    VALUES (1, NEW.id, NEW.type, NEW.displayName, NEW.startDateTime, NEW.endDateTime, NEW.status, NEW.blockingError, NEW.statistics, NEW.version, strftime('%Y-%m-%d %H:%M:%f', 'now'));
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER runs_notify_update AFTER UPDATE OF displayName, startDateTime, endDateTime, status, blockingError, statistics, version, type ON runs WHEN EXISTS (SELECT 1 FROM subscriptions)
                BEGIN
                    INSERT INTO runChanges (changeType, runId, type, displayName, startDateTime, endDateTime, status, blockingError, statistics, version, recordedAt)
                    VALUES (2, NEW.id, NEW.type, NEW.displayName, NEW.startDateTime, NEW.endDateTime, NEW.status, NEW.blockingError, NEW.statistics, NEW.version, strftime('%Y-%m-%d %H:%M:%f', 'now'));
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER runs_notify_delete AFTER DELETE ON runs WHEN EXISTS (SELECT 1 FROM subscriptions)
                BEGIN
                    INSERT INTO runChanges (changeType, runId, type, displayName, startDateTime, endDateTime, status, blockingError, statistics, version, recordedAt)
                    VALUES (4, OLD.id, OLD.type, OLD.displayName, OLD.startDateTime, OLD.endDateTime, OLD.status, OLD.blockingError, OLD.statistics, OLD.version, strftime('%Y-%m-%d %H:%M:%f', 'now'));
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER runs_notify_insert;");
            migrationBuilder.Sql("DROP TRIGGER runs_notify_update;");
            migrationBuilder.Sql("DROP TRIGGER runs_notify_delete;");
            migrationBuilder.DropTable(
                name: "runChanges");

            migrationBuilder.DropTable(
                name: "subscriptions");
        }
    }
}
