using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IndustryData.OData.Service.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_runs_startDateTime",
                table: "runs");

            migrationBuilder.DropIndex(
                name: "IX_runs_status",
                table: "runs");

            migrationBuilder.CreateIndex(
                name: "IX_runs_displayName_id",
                table: "runs",
                columns: new[] { "displayName", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_runs_endDateTime_id",
                table: "runs",
                columns: new[] { "endDateTime", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_runs_startDateTime_id",
                table: "runs",
                columns: new[] { "startDateTime", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_runs_status_id",
                table: "runs",
                columns: new[] { "status", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_runs_status_startDateTime_id",
                table: "runs",
                columns: new[] { "status", "startDateTime", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_runs_type_id",
                table: "runs",
                columns: new[] { "type", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_runs_displayName_id",
                table: "runs");

            migrationBuilder.DropIndex(
                name: "IX_runs_endDateTime_id",
                table: "runs");

            migrationBuilder.DropIndex(
                name: "IX_runs_startDateTime_id",
                table: "runs");

            migrationBuilder.DropIndex(
                name: "IX_runs_status_id",
                table: "runs");

            migrationBuilder.DropIndex(
                name: "IX_runs_status_startDateTime_id",
                table: "runs");

            migrationBuilder.DropIndex(
                name: "IX_runs_type_id",
                table: "runs");

            migrationBuilder.CreateIndex(
                name: "IX_runs_startDateTime",
                table: "runs",
                column: "startDateTime");

            migrationBuilder.CreateIndex(
                name: "IX_runs_status",
                table: "runs",
                column: "status");
        }
    }
}
