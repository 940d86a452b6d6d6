using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Service.Storage;

/// <summary>
/// The full-text indexes of runs, read as table-valued functions that return the ids of the matching runs
/// (<see cref="RunsDbContext.SearchRuns"/>, <see cref="RunsDbContext.NameSubstrings"/>). Created by the Search migration:
/// <list type="bullet">
/// <item>SQLite: <c>runs_search</c>, an FTS5 table over displayName and blockingError's code and message (unicode61
/// words, case and diacritics folded), and <c>runs_names</c>, an FTS5 trigram table over displayName (case-sensitive, as
/// OData's contains is). Both are kept by triggers on runs in the writing statement itself, so a search sees exactly the
/// committed runs. An FTS5 table is its own table-valued function: <c>runs_search(@q)</c> is <c>runs_search MATCH @q</c>.</item>
/// <item>SQL Server: <c>runs_search(@term)</c>, an inline function over a full-text index where Full-Text Search is
/// installed (CONTAINSTABLE), else over word-boundary LIKE predicates (a scan, bounded by the statement budget).
/// No trigram index: contains is the LIKE the query already has.</item>
/// </list>
/// </summary>
public static class SearchIndexes
{
    /// <summary>The word index (SQLite FTS5 table; SQL Server inline function).</summary>
    public const string Words = "runs_search";

    /// <summary>SQLite's trigram index of displayName.</summary>
    public const string Trigrams = "runs_names";

    /// <summary>The SQLite triggers that keep both indexes, declared so EF Core does not rely on RETURNING for runs.</summary>
    public static readonly string[] SqliteTriggers = ["runs_search_insert", "runs_search_delete", "runs_search_update", "runs_names_update"];

    public static void Configure(ModelBuilder model, bool isSqlite)
    {
        model.Entity<SearchHit>(hit =>
        {
            hit.HasNoKey();
            hit.ToTable((string?)null);
            hit.Property(h => h.Id).HasColumnName("id");
        });
        model.HasDbFunction(typeof(RunsDbContext).GetMethod(nameof(RunsDbContext.SearchRuns))!).HasName(Words);
        model.HasDbFunction(typeof(RunsDbContext).GetMethod(nameof(RunsDbContext.NameSubstrings))!).HasName(Trigrams);
        if (isSqlite)
        {
            model.Entity<Model.Runs.Run>().ToTable(table =>
            {
                foreach (var trigger in SqliteTriggers)
                {
                    table.HasTrigger(trigger);
                }
            });
        }
    }
}

/// <summary>A run an index matched: only its id.</summary>
public sealed class SearchHit
{
    public string Id { get; set; } = null!;
}
