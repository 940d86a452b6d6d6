using System.Linq.Expressions;
using System.Reflection;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying.Search;

/// <summary>
/// <c>contains(displayName,'…')</c> and <c>endswith(displayName,'…')</c> served by SQLite's trigram index
/// (<see cref="SearchIndexes.Trigrams"/>): the filter binder keeps the exact predicate and adds a marker
/// (<see cref="Hint"/>) that <see cref="Apply{T}"/> turns into <c>id IN (SELECT id FROM runs_names(@q))</c>, @q the
/// literal's trigrams joined by AND (<see cref="TrigramQuery"/>). The index narrows the runs to those holding every
/// trigram of the literal, and the exact predicate (instr / substr) decides, so the answer is OData's exactly. A word
/// in many names (<see cref="IsCommon"/>) keeps the exact predicate alone: a page of them is found by walking the list's
/// order sooner than by reading every match from the index. A literal of fewer than 3
/// characters has no trigram: it keeps the plain predicate, bounded by the statement budget. On SQL Server, and where the
/// query is not a list of runs (subscription filters), the marker is simply dropped.
/// </summary>
public static class NameSubstringIndex
{
    private const int TrigramLength = 3;
    private const int MaxTrigrams = 16;

    private static readonly MethodInfo HintMethod = typeof(NameSubstringIndex).GetMethod(nameof(Hint))!;

    /// <summary>The marker: true wherever it is evaluated; only a stand-in for the index lookup until <see cref="Apply{T}"/>.</summary>
    public static bool Hint(string id, string trigramQuery) => true;

    /// <summary>The exact predicate of contains/endswith on displayName, with the index marker when the literal allows one.</summary>
    public static Expression WithHint(SingleValueFunctionCallNode node, Expression exact, Expression currentRun)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!node.Name.Equals("contains", StringComparison.OrdinalIgnoreCase) && !node.Name.Equals("endswith", StringComparison.OrdinalIgnoreCase)
            || node.Parameters.ToList() is not [SingleValueNode property, SingleValueNode literal]
            || Unconverted(property) is not SingleValuePropertyAccessNode { Property.Name: "displayName", Source: ResourceRangeVariableReferenceNode }
            || !LiteralValues.IsLiteral(literal) || LiteralValues.ValueOf(literal) is not string text || !HasTrigram(text)
            || !typeof(Run).IsAssignableFrom(currentRun.Type))
        {
            return exact;
        }

        var query = TrigramQuery(text);
        return Expression.AndAlso(exact, Expression.Call(HintMethod, Expression.Property(currentRun, nameof(Run.Id)), Expression.Constant(query)));
    }

    /// <summary>The query with every marker turned into the trigram lookup (SQLite) or dropped (<paramref name="db"/> null, or SQL Server).</summary>
    public static IQueryable<T> Apply<T>(IQueryable<T> query, RunsDbContext? db, int commonWordMatches = 0)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rewriter = new Rewriter(db is not null && db.Database.IsSqlite() ? db : null, commonWordMatches);
        var expression = rewriter.Visit(query.Expression);
        return rewriter.Changed ? query.Provider.CreateQuery<T>(expression) : query;
    }

    /// <summary>
    /// Every distinct trigram of the literal (up to <see cref="MaxTrigrams"/>), each a quoted token, joined by AND: the
    /// index keeps no positions (detail=none, a third of the size), so FTS5 takes no phrases there; a run holding all the
    /// trigrams is a candidate, and the exact predicate decides.
    /// </summary>
    private static string TrigramQuery(string text)
    {
        var runes = text.EnumerateRunes().Select(rune => rune.ToString()).ToList();
        var trigrams = Enumerable.Range(0, runes.Count - TrigramLength + 1)
            .Select(start => string.Concat(runes.Skip(start).Take(TrigramLength)))
            .Distinct(StringComparer.Ordinal)
            .Take(MaxTrigrams);
        return string.Join(" AND ", trigrams.Select(trigram => $"\"{trigram.Replace("\"", "\"\"", StringComparison.Ordinal)}\""));
    }

    private static SingleValueNode Unconverted(SingleValueNode node) => node is ConvertNode convert ? Unconverted(convert.Source) : node;

    /// <summary>At least three Unicode characters (FTS5 trigrams are of code points; fewer match nothing).</summary>
    private static bool HasTrigram(string text)
    {
        var count = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune == System.Text.Rune.ReplacementChar)
            {
                return false; // an unpaired surrogate: no index, the exact predicate alone
            }

            count++;
        }

        return count >= TrigramLength;
    }

    /// <summary>
    /// Whether the literal's trigrams are in so many names that walking the table in the list's order finds a page sooner
    /// than reading every match from the index first: a count of the matches, stopped at the threshold (a bounded read
    /// of the index), against <paramref name="configured"/> or 1 run in 200 (at least 2,000).
    /// </summary>
    private static bool IsCommon(RunsDbContext db, string query, int configured)
    {
        var threshold = configured > 0 ? configured
            : (int)Math.Clamp(db.Database.SqlQueryRaw<long>("SELECT coalesce(max(rowid), 0) AS \"Value\" FROM runs").AsEnumerable().First() / 200, 2000, int.MaxValue);
        var matches = db.Database.SqlQueryRaw<long>(
            $"SELECT count(*) AS \"Value\" FROM (SELECT 1 FROM {SearchIndexes.Trigrams}({{0}}) LIMIT {{1}})", query, threshold).AsEnumerable().First();
        return matches >= threshold;
    }

    private sealed class Rewriter(RunsDbContext? db, int commonWordMatches) : ExpressionVisitor
    {
        public bool Changed { get; private set; }

        protected override Expression VisitBinary(BinaryExpression node)
        {
            if (db is null && node.NodeType == ExpressionType.AndAlso && node.Right is MethodCallExpression call && call.Method == HintMethod)
            {
                Changed = true;
                return Visit(node.Left);
            }

            return base.VisitBinary(node);
        }

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method != HintMethod)
            {
                return base.VisitMethodCall(node);
            }

            Changed = true;
            if (db is null)
            {
                return Expression.Constant(true);
            }

            var query = (string)((ConstantExpression)node.Arguments[1]).Value!;
            if (IsCommon(db, query, commonWordMatches))
            {
                return Expression.Constant(true); // a common word: the exact predicate alone, tested as the list walks its order
            }

            var context = db;
            Expression<Func<string, bool>> lookup = id => context.NameSubstrings(query).Select(hit => hit.Id).Contains(id);
            return ParameterRebinder.Rebind(lookup, node.Arguments[0]);
        }
    }
}
