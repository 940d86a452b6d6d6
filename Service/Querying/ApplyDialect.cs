namespace IndustryData.OData.Service.Querying;

/// <summary>The type of a value in a $apply result, which decides how it is read from the database and written to JSON.</summary>
public enum ApplyKind
{
    String,
    Int32,
    Int64,
    Decimal,
    Double,
    Boolean,
    DateTimeOffset,
    Date,
    Status,

    /// <summary>A member of an open value (statistics/x): its JSON text as stored, written as is.</summary>
    Json,
}

/// <summary>A SQL expression and the kind of value it yields.</summary>
public sealed record ApplyValue(string Sql, ApplyKind Kind);

/// <summary>
/// The SQL that differs between SQLite and SQL Server for $apply. JSON members (statistics/x, blockingError/code) are read
/// with their JSON type, so a string that looks like a number is not summed (OData's typing: a string is not a number):
/// SQLite's json_type/json_extract and the -> operator; SQL Server's OPENJSON, joined once per member by OUTER APPLY
/// (an aggregate may not contain a subquery there).
/// </summary>
public abstract class ApplyDialect
{
    public static ApplyDialect For(bool sqlite) => sqlite ? new SqliteDialect() : new SqlServerDialect();

    public abstract bool IsSqlite { get; }

    public abstract string Quote(string name);

    public abstract string CountAll { get; }

    public abstract string DatePart(string part, string value);

    public abstract string DateOf(string value);

    /// <summary>A condition as a 0/1 value.</summary>
    public string Flag(string condition) => $"CASE WHEN {condition} THEN 1 ELSE 0 END";

    /// <summary>Row limits after ORDER BY (<paramref name="orderBy"/> is empty when the level has no order).</summary>
    public abstract string Page(string orderBy, long? top, long? skip);

    /// <summary>A member of a JSON column: its JSON type and value, as the three expressions the translator needs.</summary>
    public abstract JsonMember Member(string column, IReadOnlyList<string> path, Func<string, string> join);

    public abstract string Concat(string left, string right);

    /// <summary>SQL expressions of one JSON member: <see cref="Text"/> its JSON text (null if absent), <see cref="Number"/> its value when it is a number, <see cref="String"/> its value when it is a string.</summary>
    public sealed record JsonMember(string Text, string Number, string String, string Present);

    private sealed class SqliteDialect : ApplyDialect
    {
        public override bool IsSqlite => true;

        public override string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

        public override string CountAll => "COUNT(*)";

        public override string DatePart(string part, string value) => part switch
        {
            // strftime reads the stored text (UTC, 'yyyy-MM-dd HH:mm:ss.fffffff') as UTC, which it is.
            "year" => $"CAST(strftime('%Y', {value}) AS INTEGER)",
            "month" => $"CAST(strftime('%m', {value}) AS INTEGER)",
            "day" => $"CAST(strftime('%d', {value}) AS INTEGER)",
            "hour" => $"CAST(strftime('%H', {value}) AS INTEGER)",
            "minute" => $"CAST(strftime('%M', {value}) AS INTEGER)",
            _ => $"CAST(strftime('%S', {value}) AS INTEGER)",
        };

        public override string DateOf(string value) => $"substr({value}, 1, 10)";

        public override string Page(string orderBy, long? top, long? skip) =>
            (top, skip) switch
            {
                (null, null) => string.Empty,
                (_, null) => $" LIMIT {top}",
                _ => $" LIMIT {top ?? -1} OFFSET {skip}",
            };

        public override JsonMember Member(string column, IReadOnlyList<string> path, Func<string, string> join)
        {
            var jsonPath = "'$" + string.Concat(path.Select(name => "." + name)) + "'";
            var type = $"json_type({column}, {jsonPath})";
            return new JsonMember(
                $"({column} -> {jsonPath})",
                $"CASE WHEN {type} IN ('integer', 'real') THEN json_extract({column}, {jsonPath}) END",
                $"CASE WHEN {type} = 'text' THEN json_extract({column}, {jsonPath}) END",
                $"{type} IS NOT NULL AND {type} <> 'null'");
        }

        public override string Concat(string left, string right) => $"({left} || {right})";
    }

    private sealed class SqlServerDialect : ApplyDialect
    {
        public override bool IsSqlite => false;

        public override string Quote(string name) => "[" + name.Replace("]", "]]", StringComparison.Ordinal) + "]";

        public override string CountAll => "COUNT_BIG(*)";

        public override string DatePart(string part, string value) => $"DATEPART({part}, {value})";

        public override string DateOf(string value) => $"CAST({value} AS date)";

        public override string Page(string orderBy, long? top, long? skip) =>
            top is null && skip is null
                ? string.Empty
                : (orderBy.Length == 0 ? " ORDER BY (SELECT NULL)" : string.Empty) + $" OFFSET {skip ?? 0} ROWS" + (top is { } t ? $" FETCH NEXT {t} ROWS ONLY" : string.Empty);

        public override JsonMember Member(string column, IReadOnlyList<string> path, Func<string, string> join)
        {
            // One row (or none) per run: the member's OPENJSON value and type (0 null, 1 string, 2 number, 3 boolean, 4 array, 5 object).
            var parent = path.Count == 1 ? column : $"JSON_QUERY({column}, '$" + string.Concat(path.SkipLast(1).Select(name => "." + name)) + "')";
            var alias = join($"OUTER APPLY (SELECT TOP (1) [value], [type] FROM OPENJSON({parent}) WHERE [key] = N'{path[^1]}') AS ");
            return new JsonMember(
                $"CASE {alias}.[type] WHEN 0 THEN N'null' WHEN 1 THEN CONCAT(N'\"', STRING_ESCAPE({alias}.[value], 'json'), N'\"') ELSE {alias}.[value] END",
                $"CASE WHEN {alias}.[type] = 2 THEN CAST({alias}.[value] AS float) END",
                $"CASE WHEN {alias}.[type] = 1 THEN {alias}.[value] END",
                $"{alias}.[type] IS NOT NULL AND {alias}.[type] <> 0");
        }

        public override string Concat(string left, string right) => $"CONCAT({left}, {right})";
    }
}
