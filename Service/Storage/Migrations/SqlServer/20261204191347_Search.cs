using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IndustryData.OData.Service.Storage.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Full-text DDL cannot run inside a user transaction. Where Full-Text Search is not installed (e.g. the Linux
            // image without mssql-server-fts) there is no index, and runs_search below falls back to LIKE predicates.
            migrationBuilder.Sql("""
                IF FULLTEXTSERVICEPROPERTY('IsFullTextInstalled') = 1
                BEGIN
                    IF NOT EXISTS (SELECT * FROM sys.fulltext_catalogs WHERE [name] = N'runs_search_catalog')
                        EXEC(N'CREATE FULLTEXT CATALOG [runs_search_catalog]');
                    IF NOT EXISTS (SELECT * FROM sys.fulltext_indexes WHERE [object_id] = OBJECT_ID(N'[runs]'))
                        EXEC(N'CREATE FULLTEXT INDEX ON [runs] ([displayName], [blockingError]) KEY INDEX [PK_runs] ON [runs_search_catalog] WITH (CHANGE_TRACKING = AUTO, STOPLIST = SYSTEM)');
                END;
                """, suppressTransaction: true);

            // runs_search(@condition): the ids of the runs one word or phrase matches; @condition is a CONTAINS phrase the
            // service builds ("word", or "prefix*"). With the full-text index: CONTAINSTABLE. Without: the same word between
            // non-alphanumeric characters (or a prefix) in displayName or blockingError's code or message, by LIKE (a scan,
            // bounded by the service's statement budget). EXEC: CREATE FUNCTION must start a batch.
            migrationBuilder.Sql("""
                IF EXISTS (SELECT * FROM sys.fulltext_indexes WHERE [object_id] = OBJECT_ID(N'[runs]'))
                    EXEC(N'CREATE FUNCTION [dbo].[runs_search] (@condition nvarchar(4000))
                RETURNS TABLE
                AS RETURN
                    SELECT [ft].[KEY] AS [id] FROM CONTAINSTABLE([runs], ([displayName], [blockingError]), @condition) AS [ft]');
                ELSE
                    EXEC(N'CREATE FUNCTION [dbo].[runs_search] (@condition nvarchar(4000))
                RETURNS TABLE
                AS RETURN
                    SELECT [r].[id]
                    FROM [runs] AS [r]
                    CROSS APPLY (SELECT CASE WHEN RIGHT(@condition, 2) = N''*"'' THEN 1 ELSE 0 END AS [prefix]) AS [p]
                    CROSS APPLY (SELECT REPLACE(REPLACE(REPLACE(SUBSTRING(@condition, 2, LEN(@condition) - 2 - [p].[prefix]),
                        N''['', N''[[]''), N''%'', N''[%]''), N''_'', N''[_]'') AS [word]) AS [w]
                    CROSS APPLY (SELECT N''%[^0-9A-Za-z]'' + [w].[word] + CASE WHEN [p].[prefix] = 1 THEN N''%'' ELSE N''[^0-9A-Za-z]%'' END AS [pattern]) AS [t]
                    WHERE N'' '' + [r].[displayName] + N'' '' LIKE [t].[pattern]
                        OR N'' '' + ISNULL(JSON_VALUE([r].[blockingError], ''$.code''), N'''') + N'' '' LIKE [t].[pattern]
                        OR N'' '' + ISNULL(JSON_VALUE([r].[blockingError], ''$.message''), N'''') + N'' '' LIKE [t].[pattern]');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION [dbo].[runs_search];");
            migrationBuilder.Sql("""
                IF EXISTS (SELECT * FROM sys.fulltext_indexes WHERE [object_id] = OBJECT_ID(N'[runs]'))
                    DROP FULLTEXT INDEX ON [runs];
                IF EXISTS (SELECT * FROM sys.fulltext_catalogs WHERE [name] = N'runs_search_catalog')
                    DROP FULLTEXT CATALOG [runs_search_catalog];
                """, suppressTransaction: true);
        }
    }
}
