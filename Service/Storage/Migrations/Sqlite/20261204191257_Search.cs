using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IndustryData.OData.Service.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The word index of $search (see SearchIndexes): displayName and blockingError's code and message, as unicode61
            // tokens with case and diacritics folded. Its rowid is the run's rowid (the triggers find a run's row by it;
            // SQLite keeps rowids through VACUUM), and id is stored, unindexed, so a query joins back on the key.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE runs_search USING fts5(id UNINDEXED, displayName, errorCode, errorMessage, tokenize = 'unicode61 remove_diacritics 2');
                """);
            // contains/endswith on displayName: trigrams, case-sensitive as OData's contains; detail=none keeps it small
            // (a phrase is confirmed from the stored text, and the query rechecks the exact predicate anyway).
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE runs_names USING fts5(id UNINDEXED, displayName, tokenize = 'trigram case_sensitive 1', detail = none);
                """);
            migrationBuilder.Sql("""
                INSERT INTO runs_search (rowid, id, displayName, errorCode, errorMessage)
                SELECT rowid, id, displayName,
                    CASE WHEN json_valid(blockingError) THEN json_extract(blockingError, '$.code') END,
                    CASE WHEN json_valid(blockingError) THEN json_extract(blockingError, '$.message') END
                FROM runs;
                """);
            migrationBuilder.Sql("INSERT INTO runs_names (rowid, id, displayName) SELECT rowid, id, displayName FROM runs;");

            // Kept in the writing statement itself: a committed run is always findable, a deleted one never.
            migrationBuilder.Sql("""
                CREATE TRIGGER runs_search_insert AFTER INSERT ON runs
                BEGIN
                    INSERT INTO runs_search (rowid, id, displayName, errorCode, errorMessage) VALUES (NEW.rowid, NEW.id, NEW.displayName,
                        CASE WHEN json_valid(NEW.blockingError) THEN json_extract(NEW.blockingError, '$.code') END,
                        CASE WHEN json_valid(NEW.blockingError) THEN json_extract(NEW.blockingError, '$.message') END);
                    INSERT INTO runs_names (rowid, id, displayName) VALUES (NEW.rowid, NEW.id, NEW.displayName);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER runs_search_delete AFTER DELETE ON runs
                BEGIN
                    DELETE FROM runs_search WHERE rowid = OLD.rowid;
                    DELETE FROM runs_names WHERE rowid = OLD.rowid;
                END;
                """);
            // Updates touch the indexes only when an indexed value changes (a status or statistics update costs nothing here).
            migrationBuilder.Sql("""
                CREATE TRIGGER runs_search_update AFTER UPDATE OF displayName, blockingError ON runs
                WHEN NEW.displayName IS NOT OLD.displayName OR NEW.blockingError IS NOT OLD.blockingError
                BEGIN
                    UPDATE runs_search SET displayName = NEW.displayName,
                        errorCode = CASE WHEN json_valid(NEW.blockingError) THEN json_extract(NEW.blockingError, '$.code') END,
                        errorMessage = CASE WHEN json_valid(NEW.blockingError) THEN json_extract(NEW.blockingError, '$.message') END
                    WHERE rowid = OLD.rowid;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER runs_names_update AFTER UPDATE OF displayName ON runs
                WHEN NEW.displayName IS NOT OLD.displayName
                BEGIN
                    UPDATE runs_names SET displayName = NEW.displayName WHERE rowid = OLD.rowid;
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER runs_names_update;");
            migrationBuilder.Sql("DROP TRIGGER runs_search_update;");
            migrationBuilder.Sql("DROP TRIGGER runs_search_delete;");
            migrationBuilder.Sql("DROP TRIGGER runs_search_insert;");
            migrationBuilder.Sql("DROP TABLE runs_names;");
            migrationBuilder.Sql("DROP TABLE runs_search;");
        }
    }
}
