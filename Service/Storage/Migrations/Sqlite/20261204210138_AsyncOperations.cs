using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IndustryData.OData.Service.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AsyncOperations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "asyncOperations",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", unicode: false, maxLength: 36, nullable: false),
                    owner = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    principal = table.Column<string>(type: "TEXT", nullable: false),
                    method = table.Column<string>(type: "TEXT", unicode: false, maxLength: 16, nullable: false),
                    baseUri = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    target = table.Column<string>(type: "TEXT", nullable: false),
                    requestHeaders = table.Column<string>(type: "TEXT", nullable: false),
                    requestBody = table.Column<byte[]>(type: "BLOB", nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    createdAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    expiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    leaseOwner = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: true),
                    leaseExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    responseStatus = table.Column<int>(type: "INTEGER", nullable: true),
                    responseHeaders = table.Column<string>(type: "TEXT", nullable: true),
                    responseBody = table.Column<byte[]>(type: "BLOB", nullable: true),
                    completedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_asyncOperations", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_asyncOperations_expiresAt",
                table: "asyncOperations",
                column: "expiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_asyncOperations_status_lease",
                table: "asyncOperations",
                columns: new[] { "status", "leaseExpiresAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "asyncOperations");
        }
    }
}
