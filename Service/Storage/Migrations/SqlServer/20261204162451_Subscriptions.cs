using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IndustryData.OData.Service.Storage.Migrations.SqlServer
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
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    sequence = table.Column<byte[]>(type: "rowversion", rowVersion: true, nullable: false),
                    changeType = table.Column<int>(type: "int", nullable: false),
                    runId = table.Column<string>(type: "varchar(36)", unicode: false, maxLength: 36, nullable: false),
                    type = table.Column<string>(type: "varchar(32)", unicode: false, maxLength: 32, nullable: false),
                    displayName = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    startDateTime = table.Column<DateTimeOffset>(type: "datetimeoffset(7)", precision: 7, nullable: false),
                    endDateTime = table.Column<DateTimeOffset>(type: "datetimeoffset(7)", precision: 7, nullable: true),
                    status = table.Column<int>(type: "int", nullable: false),
                    blockingError = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    statistics = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    recordedAt = table.Column<DateTime>(type: "datetime2(7)", precision: 7, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_runChanges", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "subscriptions",
                columns: table => new
                {
                    id = table.Column<string>(type: "varchar(36)", unicode: false, maxLength: 36, nullable: false),
                    owner = table.Column<string>(type: "nvarchar(512)", maxLength: 512, nullable: false),
                    applicationId = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    creatorId = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    changeTypes = table.Column<int>(type: "int", nullable: false),
                    resource = table.Column<string>(type: "nvarchar(2048)", maxLength: 2048, nullable: false),
                    notificationUrl = table.Column<string>(type: "nvarchar(2048)", maxLength: 2048, nullable: false),
                    lifecycleNotificationUrl = table.Column<string>(type: "nvarchar(2048)", maxLength: 2048, nullable: true),
                    clientState = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    expirationDateTime = table.Column<DateTime>(type: "datetime2", nullable: false),
                    createdDateTime = table.Column<DateTime>(type: "datetime2", nullable: false),
                    deliveredThrough = table.Column<long>(type: "bigint", nullable: false),
                    leaseOwner = table.Column<string>(type: "varchar(64)", unicode: false, maxLength: 64, nullable: true),
                    leaseExpiresAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    nextAttemptAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    failingSince = table.Column<DateTime>(type: "datetime2", nullable: true),
                    failedAttempts = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subscriptions", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_runChanges_sequence",
                table: "runChanges",
                column: "sequence",
                unique: true);

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
            migrationBuilder.Sql("""
                EXEC(N'CREATE TRIGGER [runs_notify_insert] ON [runs] AFTER INSERT AS
                BEGIN
                    SET NOCOUNT ON;
                    IF EXISTS (SELECT 1 FROM [subscriptions])
                        INSERT INTO [runChanges] ([changeType], [runId], [type], [displayName], [startDateTime], [endDateTime], [status], [blockingError], [statistics], [version], [recordedAt])
                        SELECT 1, [id], [type], [displayName], [startDateTime], [endDateTime], [status], [blockingError], [statistics], CAST([version] AS bigint), SYSUTCDATETIME() FROM inserted;
                END');
                """);
            migrationBuilder.Sql("""
                EXEC(N'CREATE TRIGGER [runs_notify_update] ON [runs] AFTER UPDATE AS
                BEGIN
                    SET NOCOUNT ON;
                    IF EXISTS (SELECT 1 FROM [subscriptions])
                        INSERT INTO [runChanges] ([changeType], [runId], [type], [displayName], [startDateTime], [endDateTime], [status], [blockingError], [statistics], [version], [recordedAt])
                        SELECT 2, [id], [type], [displayName], [startDateTime], [endDateTime], [status], [blockingError], [statistics], CAST([version] AS bigint), SYSUTCDATETIME() FROM inserted;
                END');
                """);
            migrationBuilder.Sql("""
                EXEC(N'CREATE TRIGGER [runs_notify_delete] ON [runs] AFTER DELETE AS
                BEGIN
                    SET NOCOUNT ON;
                    IF EXISTS (SELECT 1 FROM [subscriptions])
                        INSERT INTO [runChanges] ([changeType], [runId], [type], [displayName], [startDateTime], [endDateTime], [status], [blockingError], [statistics], [version], [recordedAt])
                        SELECT 4, [id], [type], [displayName], [startDateTime], [endDateTime], [status], [blockingError], [statistics], CAST([version] AS bigint), SYSUTCDATETIME() FROM deleted;
                END');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER [runs_notify_insert];");
            migrationBuilder.Sql("DROP TRIGGER [runs_notify_update];");
            migrationBuilder.Sql("DROP TRIGGER [runs_notify_delete];");
            migrationBuilder.DropTable(
                name: "runChanges");

            migrationBuilder.DropTable(
                name: "subscriptions");
        }
    }
}
