using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// OData's canonical functions in T-SQL. Date-times are datetimeoffset(7) stored at offset +00:00, so DATEPART gives
/// the UTC parts OData asks for. Text functions compare under the column's collation, as eq and contains do
/// (docs/sqlserver.md, "Provider parity"). SQL Server has no regular expressions before 2025: matchesPattern is a 501.
/// </summary>
public sealed class SqlServerODataFunctionTranslator(ISqlExpressionFactory sql, IRelationalTypeMappingSource types)
    : ODataFunctionTranslatorPlugin(sql, types)
{
    private const long TicksPerDay = TimeSpan.TicksPerDay;

    /// <summary>Every character .NET's char.IsWhiteSpace (and so OData's trim) counts as white space.</summary>
    private const string WhiteSpace = "\t\n\v\f\r \u0085\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000";

    protected override SqlExpression? Translate(string name, Type returnType, IReadOnlyList<SqlExpression> a) => name switch
    {
        nameof(ODataFunctions.Contains) => Sql.Like(a[0], Sql.Add(Sql.Add(Constant("%"), LikeLiteral(a[1])), Constant("%")), Constant("\\")),
        nameof(ODataFunctions.StartsWith) => Sql.Like(a[0], Sql.Add(LikeLiteral(a[1]), Constant("%")), Constant("\\")),
        nameof(ODataFunctions.EndsWith) => Sql.Like(a[0], Sql.Add(Constant("%"), LikeLiteral(a[1])), Constant("\\")),
        nameof(ODataFunctions.Length) => Length(a[0]),
        nameof(ODataFunctions.IndexOf) => When(Sql.Equal(Function("DATALENGTH", typeof(int), a[1]), Constant(0)), When(Sql.IsNotNull(a[0]), Constant(0)),
            Sql.Subtract(Function("CHARINDEX", typeof(int), a[1], a[0]), Constant(1))),
        nameof(ODataFunctions.Substring) => Substring(a),
        nameof(ODataFunctions.Concat) => Concat(a[0], a[1]),
        nameof(ODataFunctions.CompareDecimal) => Sql.Case(
            [new(Sql.LessThan(a[0], a[1]), Constant(-1)), new(Sql.GreaterThan(a[0], a[1]), Constant(1)), new(Sql.Equal(a[0], a[1]), Constant(0))], null),
        nameof(ODataFunctions.ToLower) => Function("LOWER", returnType, a[0].TypeMapping, a[0]),
        nameof(ODataFunctions.ToUpper) => Function("UPPER", returnType, a[0].TypeMapping, a[0]),
        nameof(ODataFunctions.Trim) => Function("LTRIM", returnType, a[0].TypeMapping, Function("RTRIM", returnType, a[0].TypeMapping, a[0], Constant(WhiteSpace)), Constant(WhiteSpace)),
        nameof(ODataFunctions.MatchesPattern) => throw QueryNotImplemented.For("matchesPattern",
            "SQL Server (before 2025) cannot evaluate regular expressions in the database. Use contains, startswith or endswith, or run the service on SQLite"),
        nameof(ODataFunctions.Year) => DatePart("year", a[0]),
        nameof(ODataFunctions.Month) => DatePart("month", a[0]),
        nameof(ODataFunctions.Day) => DatePart("day", a[0]),
        nameof(ODataFunctions.Hour) => DatePart("hour", a[0]),
        nameof(ODataFunctions.Minute) => DatePart("minute", a[0]),
        nameof(ODataFunctions.Second) => DatePart("second", a[0]),
        nameof(ODataFunctions.TotalOffsetMinutes) => DatePart("tzoffset", a[0]),
        nameof(ODataFunctions.FractionalSeconds) => Decimal(Sql.Divide(Decimal(DatePart("nanosecond", a[0])), Constant(1_000_000_000L))),
        nameof(ODataFunctions.Date) => Sql.Convert(a[0], returnType, Mapping(typeof(DateOnly))),
        nameof(ODataFunctions.Time) => Sql.Convert(a[0], returnType, Mapping(typeof(TimeOnly))),
        nameof(ODataFunctions.TicksBetween) => TicksBetween(a[0], a[1]),
        nameof(ODataFunctions.AddTicks) => AddTicks(a[0], a[1]),
        nameof(ODataFunctions.TotalSeconds) => Decimal(Sql.Divide(Decimal(a[0]), Constant(ODataFunctions.TicksPerSecond))),
        nameof(ODataFunctions.Round) => Function("ROUND", returnType, a[0].TypeMapping, a[0], Constant(0)),
        nameof(ODataFunctions.Floor) => Function("FLOOR", returnType, a[0].TypeMapping, a[0]),
        nameof(ODataFunctions.Ceiling) => Function("CEILING", returnType, a[0].TypeMapping, a[0]),
        nameof(JsonMemberAccess.Json) => a[0],
        nameof(JsonMemberAccess.BinaryCollated) => new CollateExpression(a[0], "Latin1_General_100_BIN2"),
        nameof(JsonMemberAccess.ToNumber) => Sql.Function("TRY_CONVERT", [Sql.Fragment("float"), a[0]], nullable: true, [false, true], typeof(double), Mapping(typeof(double))),
        _ => null,
    };

    /// <summary>The text with LIKE's wildcards escaped (ESCAPE '\\'), so it matches itself; a prefix LIKE still seeks the index.</summary>
    private SqlExpression LikeLiteral(SqlExpression text)
    {
        var escaped = text;
        foreach (var special in new[] { "\\", "%", "_", "[" })
        {
            escaped = Function("REPLACE", typeof(string), text.TypeMapping, escaped, Constant(special), Constant("\\" + special));
        }

        return escaped;
    }

    protected override RelationalTypeMapping? DecimalComparisonMapping => Types.FindMapping(typeof(decimal), null, precision: 38, scale: 18);

    private SqlExpression DatePart(string part, SqlExpression value) =>
        Sql.Function("DATEPART", [Sql.Fragment(part), value], nullable: true, [false, true], typeof(int), Mapping(typeof(int)));

    /// <summary>decimal(38,7): room for any duration in seconds at 100 ns, and for a fraction of a second.</summary>
    private SqlExpression Decimal(SqlExpression value) => Sql.Convert(value, typeof(decimal), Types.FindMapping(typeof(decimal), null, precision: 38, scale: 7));

    /// <summary>LEN ignores trailing spaces and DATALENGTH counts bytes: LEN(x + N'x') - 1 counts every character.</summary>
    private SqlExpression Length(SqlExpression text) =>
        Sql.Subtract(Function("LEN", typeof(int), Sql.Add(text, Constant("x"))), Constant(1));

    private SqlExpression Substring(IReadOnlyList<SqlExpression> a)
    {
        var text = a[0];
        var start = a[1];
        var length = Length(text);
        var fromEnd = Sql.Add(length, start);
        var position = Sql.Add(
            When(Sql.GreaterThanOrEqual(start, Constant(0)), start, When(Sql.GreaterThan(fromEnd, Constant(0)), fromEnd, Constant(0))),
            Constant(1));
        return a.Count == 2
            ? Function("SUBSTRING", typeof(string), text.TypeMapping, text, position, Sql.Add(length, Constant(1)))
            : When(Sql.GreaterThanOrEqual(a[2], Constant(0)), Function("SUBSTRING", typeof(string), text.TypeMapping, text, position, a[2]));
    }

    /// <summary>Whole microseconds by DATEDIFF_BIG (no overflow within years 1–9999), plus the difference of the 100 ns digits.</summary>
    private SqlExpression TicksBetween(SqlExpression later, SqlExpression earlier)
    {
        var microseconds = Sql.Function("DATEDIFF_BIG", [Sql.Fragment("microsecond"), earlier, later], nullable: true, [false, true, true], typeof(long), Mapping(typeof(long)));
        return Sql.Add(Sql.Multiply(microseconds, Constant(10L)), Sql.Subtract(TickDigit(later), TickDigit(earlier)));
    }

    private SqlExpression TickDigit(SqlExpression value) => Sql.Modulo(Sql.Divide(DatePart("nanosecond", value), Constant(100)), Constant(10));

    /// <summary>DATEADD takes an int: whole days, then seconds, then the remaining nanoseconds (each part of the ticks keeps its sign).</summary>
    private SqlExpression AddTicks(SqlExpression value, SqlExpression ticks)
    {
        var days = Int(Sql.Divide(ticks, Constant(TicksPerDay)));
        var seconds = Int(Sql.Modulo(Sql.Divide(ticks, Constant(ODataFunctions.TicksPerSecond)), Constant(86_400L)));
        var nanoseconds = Int(Sql.Multiply(Sql.Modulo(ticks, Constant(ODataFunctions.TicksPerSecond)), Constant(100L)));
        return DateAdd("nanosecond", nanoseconds, DateAdd("second", seconds, DateAdd("day", days, value)));
    }

    private SqlExpression Int(SqlExpression value) => Sql.Convert(value, typeof(int), Mapping(typeof(int)));

    private SqlExpression DateAdd(string part, SqlExpression number, SqlExpression value) =>
        Sql.Function("DATEADD", [Sql.Fragment(part), number, value], nullable: true, [false, true, true], value.Type, value.TypeMapping);
}
