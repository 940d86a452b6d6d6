using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IndustryData.OData.Service.Storage.Migrations.SqlServer
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
                    keyHash = table.Column<string>(type: "char(64)", unicode: false, fixedLength: true, maxLength: 64, nullable: false),
                    requestHash = table.Column<string>(type: "char(64)", unicode: false, fixedLength: true, maxLength: 64, nullable: false),
                    runId = table.Column<string>(type: "varchar(36)", unicode: false, maxLength: 36, nullable: false),
                    createdAt = table.Column<DateTime>(type: "datetime2", nullable: false)
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
