using System.Linq.Expressions;
using System.Reflection;
using IndustryData.OData.Model.Errors;
using IndustryData.OData.Model.Runs;
using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// Members of the JSON stored in text columns (statistics, blockingError) in queries. The methods here are markers that
/// each provider translates to its JSON functions (SQLite: json_type/json_extract/json_each; SQL Server: OPENJSON, see
/// <see cref="SqlServerJsonMembers"/>); they never run in .NET. A member is addressed by the path of its parent object
/// (<see cref="Path"/>) and its own name, and read with the JSON type OData's typing rules ask for: <see cref="Number"/>
/// is null unless the member holds a number, <see cref="Text"/> unless it holds a string, <see cref="Boolean"/> unless
/// true or false. So a member holding a string compared with a number matches nothing, and a missing member is null.
/// Reusable by any query feature ($filter, $orderby, $compute, $apply).
/// </summary>
public static class JsonMemberAccess
{
    /// <summary>OPENJSON's type codes.</summary>
    public const int NullType = 0;
    public const int StringType = 1;
    public const int NumberType = 2;
    public const int BooleanType = 3;

    /// <summary>The path of the JSON value itself.</summary>
    public const string RootPath = "$";

    /// <summary>The stored JSON text of a statistics column.</summary>
    public static string? Json(RunStatistics? value) => throw InQueriesOnly();

    /// <summary>The stored JSON text of a blockingError column (null when the run has none).</summary>
    public static string? Json(PublicError? value) => throw InQueriesOnly();

    /// <summary>The member <paramref name="name"/> of the object at <paramref name="parentPath"/>, if it holds a number.</summary>
    public static double? Number(string? json, string parentPath, string name) => throw InQueriesOnly();

    /// <summary>The member <paramref name="name"/> of the object at <paramref name="parentPath"/>, if it holds a string.</summary>
    public static string? Text(string? json, string parentPath, string name) => throw InQueriesOnly();

    /// <summary>The member <paramref name="name"/> of the object at <paramref name="parentPath"/>, if it holds true or false.</summary>
    public static bool? Boolean(string? json, string parentPath, string name) => throw InQueriesOnly();

    /// <summary>Whether the member is missing or JSON null (or the JSON itself is null): OData's <c>eq null</c>.</summary>
    public static bool IsNull(string? json, string parentPath, string name) => throw InQueriesOnly();

    /// <summary>
    /// The class of the member's JSON value, the first key of a sort on it (<see cref="JsonMemberSortKey"/>): 0 missing
    /// or null, 1 false, 2 true, 3 a number, 4 a string, 5 an object or array.
    /// </summary>
    public static int SortClass(string? json, string parentPath, string name) => throw InQueriesOnly();

    /// <summary>The member as a double if it holds a number, converted as <see cref="ToNumber"/> converts the number's text.</summary>
    public static double? SortNumber(string? json, string parentPath, string name) => throw InQueriesOnly();

    /// <summary>The member if it holds a string, ordering by code point (not by the database collation).</summary>
    public static string? SortText(string? json, string parentPath, string name) => throw InQueriesOnly();

    /// <summary>Text in a binary collation (SQL Server's COLLATE Latin1_General_100_BIN2), so it compares by code point.</summary>
    public static string? BinaryCollated(string? text) => throw InQueriesOnly();

    /// <summary>The elements of the array (or members of the object) at <paramref name="path"/>: a table function.</summary>
    public static IQueryable<JsonElementRow> Elements(string? json, string path) => throw InQueriesOnly();

    /// <summary>A number held as text (an element value of <see cref="Elements"/>, a cursor's JSON number) as a double.</summary>
    public static double? ToNumber(string? value) => throw InQueriesOnly();

    public static readonly MethodInfo ElementsMethod = typeof(JsonMemberAccess).GetMethod(nameof(Elements))!;

    /// <summary>The JSON path of nested members, each quoted (<c>$."a"."b"</c>); a 501 for names no path can hold.</summary>
    public static string Path(IEnumerable<string> members) =>
        string.Concat(members.Prepend(null).Select(member => member is null ? RootPath : "." + Quoted(member)));

    /// <summary>A member name as a quoted path label; names with quotes, backslashes or control characters are a 501.</summary>
    public static string Quoted(string name) =>
        name.Length == 0 || name.Any(c => c is '"' or '\\' || char.IsControl(c))
            ? throw QueryNotImplemented.For($"the member name '{name}' (a quote, backslash or control character)", "Use members whose names are plain words")
            : "\"" + name + "\"";

    /// <summary>Maps <see cref="Elements"/> to the provider's JSON table function (a built-in, so nothing is created in the database).</summary>
    public static void Configure(ModelBuilder modelBuilder, bool isSqlite)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.HasDbFunction(ElementsMethod).HasName(isSqlite ? "json_each" : "OPENJSON").IsBuiltIn();
        var row = modelBuilder.Entity<JsonElementRow>().HasNoKey().ToTable((string?)null);
        row.Property(r => r.Key).HasColumnName("key");
        row.Property(r => r.Value).HasColumnName("value");
        if (isSqlite)
        {
            row.Ignore(r => r.Type);
        }
        else
        {
            row.Property(r => r.Type).HasColumnName("type");
        }
    }

    public static MethodCallExpression Call(string name, params Expression[] arguments) =>
        Expression.Call(typeof(JsonMemberAccess).GetMethod(name, [.. arguments.Select(argument => argument.Type)])!, arguments);

    private static InvalidOperationException InQueriesOnly() => new("JsonMemberAccess methods are translated to SQL; they do not run in .NET.");
}
