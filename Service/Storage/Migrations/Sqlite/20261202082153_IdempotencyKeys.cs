using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IndustryData.OData.Service.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IdempotencyKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "idempotencyKeys",
                columns: table => new
                {
                    keyHash = table.Column<string>(type: "TEXT", unicode: false, fixedLength: true, maxLength: 64, nullable: false),
                    requestHash = table.Column<string>(type: "TEXT", unicode: false, fixedLength: true, maxLength: 64, nullable: false),
                    runId = table.Column<string>(type: "TEXT", unicode: false, maxLength: 36, nullable: false),
                    createdAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_idempotencyKeys", x => x.keyHash);
                });

            migrationBuilder.CreateIndex(
                name: "IX_idempotencyKeys_createdAt",
                table: "idempotencyKeys",
                column: "createdAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "idempotencyKeys");
        }
    }
}
