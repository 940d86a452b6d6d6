using System.Linq.Expressions;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Storage;
using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Service.Querying.Search;

/// <summary>
/// A $search as a condition on runs, evaluated by the database's full-text index (<see cref="SearchIndexes"/>):
/// each part the index can answer on its own becomes <c>id IN (SELECT id FROM runs_search(@q))</c>, with @q a parameter
/// in the index's own syntax (every word and phrase quoted, so no user text is ever read as an operator); the parts
/// it cannot (a NOT on its own, an OR with a NOT) are joined with SQL's AND, OR and NOT.
/// <list type="bullet">
/// <item>SQLite (FTS5): one MATCH for every AND/OR tree of words and phrases, a NOT after an AND included (FTS5's
/// binary NOT); words match tokens of displayName and blockingError's code and message, ignoring case and diacritics.</item>
/// <item>SQL Server: one CONTAINS condition per word or phrase (a multi-column CONTAINS would require AND's terms in the
/// same column), joined in SQL.</item>
/// </list>
/// </summary>
public static class SearchPredicate
{
    public static IQueryable<T> Apply<T>(IQueryable<T> runs, SearchNode search, RunsDbContext db)
        where T : Run
    {
        var sqlite = db.Database.IsSqlite();
        var run = Expression.Parameter(typeof(T), "run");
        var body = Compile(search, run, db, sqlite);
        return runs.Where(Expression.Lambda<Func<T, bool>>(body, run));
    }

    /// <summary>The FTS5 query for a node, or null when FTS5 cannot express it on its own.</summary>
    public static string? Fts5(SearchNode node) => node switch
    {
        SearchTerm term => Fts5Phrase(term),
        SearchAnd(var left, SearchNot(var excluded)) => Join(Fts5(left), "NOT", Fts5(excluded)),
        SearchAnd(SearchNot(var excluded), var right) when right is not SearchNot => Join(Fts5(right), "NOT", Fts5(excluded)),
        SearchAnd(var left, var right) => Join(Fts5(left), "AND", Fts5(right)),
        SearchOr(var left, var right) => Join(Fts5(left), "OR", Fts5(right)),
        _ => null,
    };

    /// <summary>A CONTAINS condition for one word or phrase: a quoted phrase, * inside the quotes for a prefix; null if it has no text.</summary>
    public static string? SqlServerPhrase(SearchTerm term)
    {
        var text = term.Text.Replace('"', ' ').Trim().TrimEnd('*').Trim();
        return text.Length == 0 ? null : $"\"{text}{(term.Prefix ? "*" : string.Empty)}\"";
    }

    /// <summary>An FTS5 string (a phrase of the tokens in it; "" for a quote) and * after it for a prefix.</summary>
    private static string Fts5Phrase(SearchTerm term) => $"\"{term.Text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"{(term.Prefix ? " *" : string.Empty)}";

    private static string? Join(string? left, string op, string? right) => left is null || right is null ? null : $"({left}) {op} ({right})";

    private static Expression Compile(SearchNode node, ParameterExpression run, RunsDbContext db, bool sqlite)
    {
        if (sqlite && Fts5(node) is { } query)
        {
            return Matches(run, db, query);
        }

        return node switch
        {
            SearchTerm term => SqlServerPhrase(term) is { } condition ? Matches(run, db, condition) : Expression.Constant(false),
            SearchNot not => Expression.Not(Compile(not.Operand, run, db, sqlite)),
            SearchAnd and => Expression.AndAlso(Compile(and.Left, run, db, sqlite), Compile(and.Right, run, db, sqlite)),
            SearchOr or => Expression.OrElse(Compile(or.Left, run, db, sqlite), Compile(or.Right, run, db, sqlite)),
            _ => throw new ArgumentOutOfRangeException(nameof(node), node, "Not a search node."),
        };
    }

    /// <summary><c>run.Id IN (SELECT id FROM runs_search(@query))</c>, written as ordinary LINQ so EF Core parameterises the query.</summary>
    private static Expression Matches(ParameterExpression run, RunsDbContext db, string query)
    {
        Expression<Func<Run, bool>> matches = candidate => db.SearchRuns(query).Select(hit => hit.Id).Contains(candidate.Id);
        return ParameterRebinder.Rebind(matches, run);
    }
}
