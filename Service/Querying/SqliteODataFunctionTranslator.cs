using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// OData's canonical functions in SQLite. Date-times are stored as EF Core's UTC text ('2026-01-02 03:04:05.1234567'),
/// so date parts come from strftime or the text itself; where SQLite's built-in differs from OData (lower/upper only
/// fold ASCII, trim only removes spaces, no regular expressions, no 100 ns arithmetic) the query calls a function the
/// connection has registered (<see cref="SqliteODataFunctions"/>), which runs <see cref="ODataFunctions"/> itself.
/// </summary>
public sealed class SqliteODataFunctionTranslator(ISqlExpressionFactory sql, IRelationalTypeMappingSource types)
    : ODataFunctionTranslatorPlugin(sql, types)
{
    protected override SqlExpression? Translate(string name, Type returnType, IReadOnlyList<SqlExpression> a) => name switch
    {
        nameof(ODataFunctions.Contains) => Sql.GreaterThan(Function("instr", typeof(int), a[0], Sql.ApplyTypeMapping(a[1], a[0].TypeMapping)), Constant(0)),
        nameof(ODataFunctions.StartsWith) or nameof(ODataFunctions.EndsWith) => PrefixOrSuffix(name, a),
        nameof(ODataFunctions.Length) => Function("length", returnType, a[0]),
        nameof(ODataFunctions.IndexOf) => Sql.Subtract(Function("instr", returnType, a[0], a[1]), Constant(1)),
        nameof(ODataFunctions.Substring) => Substring(a),
        nameof(ODataFunctions.Concat) => Concat(a[0], a[1]),
        nameof(ODataFunctions.CompareDecimal) => Function("ef_compare", returnType, a[0], a[1]),
        nameof(ODataFunctions.ToLower) => Function(SqliteODataFunctions.Lower, returnType, a[0].TypeMapping, a[0]),
        nameof(ODataFunctions.ToUpper) => Function(SqliteODataFunctions.Upper, returnType, a[0].TypeMapping, a[0]),
        nameof(ODataFunctions.Trim) => Function(SqliteODataFunctions.Trim, returnType, a[0].TypeMapping, a[0]),
        nameof(ODataFunctions.MatchesPattern) => Function(SqliteODataFunctions.Matches, returnType, a.Count == 3 ? [.. a] : [a[0], a[1], Constant(string.Empty)]),
        nameof(ODataFunctions.Year) => DatePart("%Y", a[0]),
        nameof(ODataFunctions.Month) => DatePart("%m", a[0]),
        nameof(ODataFunctions.Day) => DatePart("%d", a[0]),
        nameof(ODataFunctions.Hour) => DatePart("%H", a[0]),
        nameof(ODataFunctions.Minute) => DatePart("%M", a[0]),
        nameof(ODataFunctions.Second) => DatePart("%S", a[0]),
        nameof(ODataFunctions.FractionalSeconds) => Function(SqliteODataFunctions.FractionalSeconds, returnType, a[0]),
        nameof(ODataFunctions.Date) => Function("substr", returnType, a[0], Constant(1), Constant(10)),
        nameof(ODataFunctions.Time) => Time(a[0], returnType),
        nameof(ODataFunctions.TotalOffsetMinutes) => When(Sql.IsNotNull(a[0]), Constant(0)),
        nameof(ODataFunctions.TicksBetween) => Function(SqliteODataFunctions.TicksBetween, returnType, a[0], a[1]),
        nameof(ODataFunctions.AddTicks) => Function(SqliteODataFunctions.AddTicks, returnType, a[0].TypeMapping, a[0], a[1]),
        nameof(ODataFunctions.TotalSeconds) => Function(SqliteODataFunctions.TotalSeconds, returnType, a[0]),
        nameof(ODataFunctions.Round) => Function("round", returnType, a[0].TypeMapping, a[0]),
        nameof(ODataFunctions.Floor) => Function("floor", returnType, a[0].TypeMapping, a[0]),
        nameof(ODataFunctions.Ceiling) => Function("ceil", returnType, a[0].TypeMapping, a[0]),
        nameof(JsonMemberAccess.Json) => a[0],
        nameof(JsonMemberAccess.Number) => JsonOfType(a, returnType, "integer", "real"),
        nameof(JsonMemberAccess.Text) => JsonOfType(a, returnType, "text"),
        nameof(JsonMemberAccess.Boolean) => Sql.Case(JsonType(a), [new(Constant("true"), Sql.Constant(true, Mapping(typeof(bool)))), new(Constant("false"), Sql.Constant(false, Mapping(typeof(bool))))], null),
        nameof(JsonMemberAccess.IsNull) => Sql.IsNull(JsonFunction("json_extract", typeof(string), a[0], MemberPath(a))),
        nameof(JsonMemberAccess.SortClass) => Sql.Case(JsonType(a), [.. SortClasses.Select(pair => new CaseWhenClause(Constant(pair.Type), Constant(pair.Class)))], Constant(0)),
        nameof(JsonMemberAccess.SortNumber) => Sql.Convert(JsonOfType(a, returnType, "integer", "real"), returnType, Mapping(returnType)),
        nameof(JsonMemberAccess.SortText) => JsonOfType(a, returnType, "text"),
        nameof(JsonMemberAccess.ToNumber) => Sql.Convert(a[0], returnType, Mapping(returnType)),
        _ => null,
    };

    /// <summary>json_type's names in the classes of <see cref="JsonMemberAccess.SortClass"/>; any other (null, missing) is 0.</summary>
    private static readonly (string Type, int Class)[] SortClasses =
        [("false", 1), ("true", 2), ("integer", 3), ("real", 3), ("text", 4), ("object", 5), ("array", 5)];

    /// <summary>json_type of the member: 'integer', 'real', 'text', 'true', 'false', 'null', 'object', 'array'; NULL when missing.</summary>
    private SqlExpression JsonType(IReadOnlyList<SqlExpression> a) => JsonFunction("json_type", typeof(string), a[0], MemberPath(a));

    /// <summary>A JSON function: null for a missing member although no argument is null (EF Core must not assume otherwise).</summary>
    private SqlExpression JsonFunction(string name, Type returnType, params SqlExpression[] arguments) =>
        Sql.Function(name, arguments, nullable: true, arguments.Select(_ => false), returnType, Mapping(returnType));

    /// <summary>CASE WHEN json_type(j, p) IN (types) THEN json_extract(j, p) END: the member only when it holds one of the JSON types.</summary>
    private SqlExpression JsonOfType(IReadOnlyList<SqlExpression> a, Type returnType, params string[] types)
    {
        var type = JsonType(a);
        var test = types.Select(name => Sql.Equal(type, Constant(name))).Aggregate(Sql.OrElse);
        return When(test, JsonFunction("json_extract", returnType, a[0], MemberPath(a)));
    }

    private SqlExpression MemberPath(IReadOnlyList<SqlExpression> a) => Constant(ConstantText(a[1]) + "." + JsonMemberAccess.Quoted(ConstantText(a[2])));

    /// <summary>
    /// startswith and endswith compare exactly, as OData and SQLite's eq and contains do (EF Core's LIKE ignores the case
    /// of ASCII letters). <c>s &gt;= p</c> lets a prefix test seek the displayName index: every s starting with p sorts
    /// at or after p.
    /// </summary>
    private SqlExpression PrefixOrSuffix(string name, IReadOnlyList<SqlExpression> a)
    {
        var text = a[0];
        var part = Sql.ApplyTypeMapping(a[1], text.TypeMapping);
        var length = Function("length", typeof(int), part);
        if (name == nameof(ODataFunctions.StartsWith))
        {
            return Sql.AndAlso(Sql.GreaterThanOrEqual(text, part), Sql.Equal(Function("substr", typeof(string), text.TypeMapping, text, Constant(1), length), part));
        }

        var start = Sql.Add(Sql.Subtract(Function("length", typeof(int), text), length), Constant(1));
        return Sql.Equal(Function("substr", typeof(string), text.TypeMapping, text, start), part);
    }

    /// <summary>CAST(strftime('%Y', x) AS INTEGER): strftime reads the stored text as UTC, which it is.</summary>
    private SqlExpression DatePart(string format, SqlExpression value) =>
        Sql.Convert(Function("strftime", typeof(string), Constant(format), value), typeof(int?), Mapping(typeof(int)));

    /// <summary>
    /// The time of day from the stored text, in the form SQLite parameters of TimeOnly take: 'HH:mm:ss' without a
    /// fraction, else seven fraction digits (the stored text drops trailing zeros).
    /// </summary>
    private SqlExpression Time(SqlExpression value, Type returnType)
    {
        var time = Function("substr", typeof(string), value, Constant(12));
        var padded = Function("substr", returnType, Mapping(typeof(TimeOnly)), Sql.Add(time, Constant("000000")), Constant(1), Constant(16));
        return When(Sql.GreaterThan(Function("length", typeof(int), time), Constant(8)), padded, Sql.Convert(time, returnType, Mapping(typeof(TimeOnly))));
    }

    /// <summary>
    /// substr is 1-based and counts a negative start from the end as OData 4.01 does, but a start before the beginning
    /// shortens the window and a negative length takes characters before the start; both are normalised first.
    /// </summary>
    private SqlExpression Substring(IReadOnlyList<SqlExpression> a)
    {
        var text = a[0];
        var start = a[1];
        var position = Sql.Add(
            When(Sql.GreaterThanOrEqual(start, Constant(0)), start,
                Function("max", typeof(int), Sql.Add(Function("length", typeof(int), text), start), Constant(0))),
            Constant(1));
        return a.Count == 2
            ? Function("substr", typeof(string), text.TypeMapping, text, position)
            : When(Sql.GreaterThanOrEqual(a[2], Constant(0)), Function("substr", typeof(string), text.TypeMapping, text, position, a[2]));
    }
}
