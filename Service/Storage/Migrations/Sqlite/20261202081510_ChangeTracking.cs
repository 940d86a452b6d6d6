using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IndustryData.OData.Service.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ChangeTracking : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "changeSequence",
                table: "runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "changeTracking",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    lastSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    prunedThrough = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_changeTracking", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "runTombstones",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", unicode: false, maxLength: 36, nullable: false),
                    type = table.Column<string>(type: "TEXT", unicode: false, maxLength: 32, nullable: false),
                    sequence = table.Column<long>(type: "INTEGER", nullable: false, defaultValue: 0L),
                    deletedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                name: "IX_runs_changeSequence",
                table: "runs",
                column: "changeSequence");

            migrationBuilder.CreateIndex(
                name: "IX_runTombstones_deletedAt",
                table: "runTombstones",
                column: "deletedAt");

            migrationBuilder.CreateIndex(
                name: "IX_runTombstones_sequence",
                table: "runTombstones",
                column: "sequence");

            // The change counter (see ChangeTrackingState): each statement that writes a run or a tombstone takes the
            // next number inside its own write, and SQLite has one writer at a time, so numbers follow commit order.
            migrationBuilder.Sql("""
                CREATE TRIGGER runs_sequence_insert AFTER INSERT ON runs
                BEGIN
                    UPDATE changeTracking SET lastSequence = lastSequence + 1 WHERE id = 1;
                    UPDATE runs SET changeSequence = (SELECT lastSequence FROM changeTracking WHERE id = 1) WHERE rowid = NEW.rowid;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER runs_sequence_update AFTER UPDATE OF displayName, startDateTime, endDateTime, status, blockingError, statistics, version, type ON runs
                BEGIN
                    UPDATE changeTracking SET lastSequence = lastSequence + 1 WHERE id = 1;
                    UPDATE runs SET changeSequence = (SELECT lastSequence FROM changeTracking WHERE id = 1) WHERE rowid = NEW.rowid;
                END;
                """);
            // Every deleted run leaves a tombstone, in the deleting statement itself (whoever deletes it, however).
            migrationBuilder.Sql("""
                CREATE TRIGGER runs_tombstone AFTER DELETE ON runs
                BEGIN
                    INSERT INTO runTombstones (id, type, sequence, deletedAt) VALUES (OLD.id, OLD.type, 0, strftime('%Y-%m-%d %H:%M:%f', 'now'));
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER runTombstones_sequence AFTER INSERT ON runTombstones
                BEGIN
                    UPDATE changeTracking SET lastSequence = lastSequence + 1 WHERE id = 1;
                    UPDATE runTombstones SET sequence = (SELECT lastSequence FROM changeTracking WHERE id = 1) WHERE rowid = NEW.rowid;
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER runTombstones_sequence;");
            migrationBuilder.Sql("DROP TRIGGER runs_sequence_update;");
            migrationBuilder.Sql("DROP TRIGGER runs_sequence_insert;");
            migrationBuilder.Sql("DROP TRIGGER runs_tombstone;");

            migrationBuilder.DropTable(
                name: "changeTracking");

            migrationBuilder.DropTable(
                name: "runTombstones");

            migrationBuilder.DropIndex(
                name: "IX_runs_changeSequence",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "changeSequence",
                table: "runs");
        }
    }
}
