using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// Translates calls to <see cref="ODataFunctions"/> into one provider's SQL. EF Core asks it for every method call it
/// meets in a query; calls on constants never get here (EF evaluates them in .NET first).
/// </summary>
public abstract class ODataFunctionTranslatorPlugin(ISqlExpressionFactory sql, IRelationalTypeMappingSource types)
    : IMethodCallTranslatorPlugin, IMethodCallTranslator
{
    protected ISqlExpressionFactory Sql { get; } = sql;

    protected IRelationalTypeMappingSource Types { get; } = types;

    public IEnumerable<IMethodCallTranslator> Translators => [this];

    public SqlExpression? Translate(SqlExpression? instance, MethodInfo method, IReadOnlyList<SqlExpression> arguments, IDiagnosticsLogger<DbLoggerCategory.Query> logger)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.DeclaringType != typeof(ODataFunctions) && method.DeclaringType != typeof(JsonMemberAccess))
        {
            return null;
        }

        var mapped = method.Name == nameof(ODataFunctions.CompareDecimal) && DecimalComparisonMapping is { } wide
            ? arguments.Select(argument => argument.TypeMapping is null ? Sql.ApplyTypeMapping(argument, wide) : argument)
            : arguments.Select(Sql.ApplyDefaultTypeMapping);
        return Translate(method.Name, method.ReturnType, mapped.ToList()!);
    }

    /// <summary>
    /// The type of a decimal parameter compared by <see cref="ODataFunctions.CompareDecimal"/>, when the provider's
    /// default would round it (SQL Server's decimal(18,2) would make 0.1234567 equal 0.12).
    /// </summary>
    protected virtual RelationalTypeMapping? DecimalComparisonMapping => null;

    /// <summary>The SQL for <see cref="ODataFunctions"/>.<paramref name="name"/>, or null if this provider has none.</summary>
    protected abstract SqlExpression? Translate(string name, Type returnType, IReadOnlyList<SqlExpression> arguments);

    /// <summary>The constant text of a marker's argument (a JSON path or member name).</summary>
    protected static string ConstantText(SqlExpression argument) => argument is SqlConstantExpression { Value: string text }
        ? text
        : throw new InvalidOperationException("JSON paths and member names are constants in the query.");

    /// <summary>A scalar function that is null when any argument is null.</summary>
    protected SqlExpression Function(string name, Type returnType, params SqlExpression[] arguments) =>
        Sql.Function(name, arguments, nullable: true, arguments.Select(_ => true), returnType, Mapping(returnType));

    protected SqlExpression Function(string name, Type returnType, RelationalTypeMapping? mapping, params SqlExpression[] arguments) =>
        Sql.Function(name, arguments, nullable: true, arguments.Select(_ => true), returnType, mapping);

    protected SqlExpression Constant<T>(T value) => Sql.Constant(value!, typeof(T), Mapping(typeof(T)));

    protected RelationalTypeMapping? Mapping(Type type) => Types.FindMapping(Nullable.GetUnderlyingType(type) ?? type);

    /// <summary>
    /// a || b (a + b): null when either is, as OData says. EF Core assumes a string concatenation is never null (its
    /// own translation coalesces), so the null case is spelled out.
    /// </summary>
    protected SqlExpression Concat(SqlExpression first, SqlExpression second) =>
        When(Sql.AndAlso(Sql.IsNotNull(first), Sql.IsNotNull(second)), Sql.Add(first, second));

    /// <summary><c>CASE WHEN condition THEN result END</c> (null otherwise).</summary>
    protected SqlExpression When(SqlExpression condition, SqlExpression result, SqlExpression? otherwise = null) =>
        Sql.Case([new CaseWhenClause(condition, result)], otherwise);
}
