using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IndustryData.OData.Service.Storage.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ChangeTracking : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "changeTracking",
                columns: table => new
                {
                    id = table.Column<int>(type: "int", nullable: false),
                    lastSequence = table.Column<long>(type: "bigint", nullable: false),
                    prunedThrough = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_changeTracking", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "runTombstones",
                columns: table => new
                {
                    id = table.Column<string>(type: "varchar(36)", unicode: false, maxLength: 36, nullable: false),
                    type = table.Column<string>(type: "varchar(32)", unicode: false, maxLength: 32, nullable: false),
                    sequence = table.Column<byte[]>(type: "rowversion", rowVersion: true, nullable: false),
                    deletedAt = table.Column<DateTimeOffset>(type: "datetimeoffset(7)", precision: 7, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_runTombstones", x => x.id);
                });

            migrationBuilder.InsertData(
                table: "changeTracking",
                columns: new[] { "id", "lastSequence", "prunedThrough" },
                values: new object[] { 1, 0L, 0L });

            migrationBuilder.CreateIndex(
                name: "IX_runs_version",
                table: "runs",
                column: "version");

            migrationBuilder.CreateIndex(
                name: "IX_runTombstones_deletedAt",
                table: "runTombstones",
                column: "deletedAt");

            migrationBuilder.CreateIndex(
                name: "IX_runTombstones_sequence",
                table: "runTombstones",
                column: "sequence");

            // Every deleted run leaves a tombstone, in the deleting statement itself (whoever deletes it, however).
            // EXEC: CREATE TRIGGER must start a batch, and the idempotent script wraps each step in IF NOT EXISTS.
            migrationBuilder.Sql("""
                EXEC(N'CREATE TRIGGER [runs_tombstone] ON [runs] AFTER DELETE AS
                BEGIN
                    SET NOCOUNT ON;
                    INSERT INTO [runTombstones] ([id], [type], [deletedAt]) SELECT [id], [type], TODATETIMEOFFSET(SYSUTCDATETIME(), 0) FROM deleted;
                END');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER [runs_tombstone];");

            migrationBuilder.DropTable(
                name: "changeTracking");

            migrationBuilder.DropTable(
                name: "runTombstones");

            migrationBuilder.DropIndex(
                name: "IX_runs_version",
                table: "runs");
        }
    }
}
