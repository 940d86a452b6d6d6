using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IndustryData.OData.Service.Storage.Migrations.SqlServer
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
                    id = table.Column<string>(type: "varchar(36)", unicode: false, maxLength: 36, nullable: false),
                    owner = table.Column<string>(type: "nvarchar(1024)", maxLength: 1024, nullable: false),
                    principal = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    method = table.Column<string>(type: "varchar(16)", unicode: false, maxLength: 16, nullable: false),
                    baseUri = table.Column<string>(type: "nvarchar(2048)", maxLength: 2048, nullable: false),
                    target = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    requestHeaders = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    requestBody = table.Column<byte[]>(type: "varbinary(max)", nullable: false),
                    status = table.Column<int>(type: "int", nullable: false),
                    createdAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    expiresAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    leaseOwner = table.Column<string>(type: "varchar(64)", unicode: false, maxLength: 64, nullable: true),
                    leaseExpiresAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    responseStatus = table.Column<int>(type: "int", nullable: true),
                    responseHeaders = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    responseBody = table.Column<byte[]>(type: "varbinary(max)", nullable: true),
                    completedAt = table.Column<DateTime>(type: "datetime2", nullable: true)
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
