using System.Globalization;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Runs;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// Expressions of $apply (filter, compute, orderby, grouping paths, aggregated values; $filter and $orderby on the result)
/// as SQL over one level of an <see cref="ApplyRelation"/>. Constants become parameters. What this translator does not
/// evaluate is a 501 naming it; a path the level does not have (a property aggregated away) is a 400.
/// </summary>
public sealed class ApplyExpressions(ApplyRelation level, string option)
{
    private ApplyDialect Dialect => level.Dialect;

    public string Condition(SingleValueNode node) => node switch
    {
        ConvertNode convert => Condition(convert.Source),
        BinaryOperatorNode { OperatorKind: BinaryOperatorKind.And or BinaryOperatorKind.Or } logical =>
            $"({Condition(logical.Left)} {(logical.OperatorKind == BinaryOperatorKind.And ? "AND" : "OR")} {Condition(logical.Right)})",
        BinaryOperatorNode binary when Comparison(binary.OperatorKind) is { } comparison => Compare(binary, comparison),
        UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Not } not => $"(NOT {Condition(not.Operand)})",
        ConstantNode { Value: bool value } => value ? "(1 = 1)" : "(1 = 0)",
        _ when Value(node) is { Kind: ApplyKind.Boolean } flag => $"({flag.Sql} = 1)",
        _ => throw NotEvaluated($"{node.Kind} as a condition"),
    };

    public ApplyValue Value(SingleValueNode node)
    {
        switch (node)
        {
            case ConvertNode convert:
                return Value(convert.Source);
            case ConstantNode constant:
                return Constant(constant);
            case BinaryOperatorNode binary when Comparison(binary.OperatorKind) is not null || binary.OperatorKind is BinaryOperatorKind.And or BinaryOperatorKind.Or:
                return new ApplyValue(Dialect.Flag(Condition(binary)), ApplyKind.Boolean);
            case UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Not } not:
                return new ApplyValue(Dialect.Flag(Condition(not)), ApplyKind.Boolean);
            case UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Negate } negate:
                var operand = Numeric(Value(negate.Operand), "-");
                return operand with { Sql = $"(-{operand.Sql})" };
            case BinaryOperatorNode binary:
                return Arithmetic(binary);
            case SingleValueFunctionCallNode call:
                return Function(call);
        }

        if (node is SingleValuePropertyAccessNode { Source: SingleResourceCastNode })
        {
            throw QueryNotImplemented.For("a type-cast segment in a path",
                "Group by type with compute(isof('microsoft.graph.industryData.outgoingFlowRun') as outgoing)/groupby((outgoing)), or address the type-cast set runs/microsoft.graph.industryData.outgoingFlowRun", option);
        }

        if (ApplyPaths.Of(node) is { } path)
        {
            return level.Resolve(path, node, option);
        }

        throw NotEvaluated($"the expression {node.Kind}");
    }

    private string Compare(BinaryOperatorNode binary, string comparison)
    {
        if (IsNull(binary.Right) || IsNull(binary.Left))
        {
            var other = Value(IsNull(binary.Right) ? binary.Left : binary.Right);
            return binary.OperatorKind switch
            {
                BinaryOperatorKind.Equal => $"({Nullable(other)} IS NULL)",
                BinaryOperatorKind.NotEqual => $"({Nullable(other)} IS NOT NULL)",
                _ => "(1 = 0)",
            };
        }

        var left = Value(binary.Left);
        var right = Value(binary.Right);
        (left, right) = (Typed(left, right), Typed(right, left));
        // OData: null ne 'x' is true, where SQL's <> is unknown.
        return binary.OperatorKind == BinaryOperatorKind.NotEqual
            ? $"({left.Sql} <> {right.Sql} OR ({left.Sql} IS NULL AND {right.Sql} IS NOT NULL) OR ({left.Sql} IS NOT NULL AND {right.Sql} IS NULL))"
            : $"({left.Sql} {comparison} {right.Sql})";
    }

    /// <summary>A JSON member compared with a number is its value when it is a number, with a string its value when it is a string (else null: no match).</summary>
    private ApplyValue Typed(ApplyValue value, ApplyValue other)
    {
        if (value.Kind != ApplyKind.Json || other.Kind == ApplyKind.Json)
        {
            return value;
        }

        var member = level.MemberOf(value) ?? throw NotEvaluated("a comparison of an open member after it was grouped");
        return other.Kind switch
        {
            ApplyKind.Int32 or ApplyKind.Int64 or ApplyKind.Decimal or ApplyKind.Double => new ApplyValue(member.Number, ApplyKind.Double),
            ApplyKind.String => new ApplyValue(member.String, ApplyKind.String),
            _ => throw NotEvaluated($"a comparison of an open member with a value of type {other.Kind}"),
        };
    }

    private string Nullable(ApplyValue value) =>
        value.Kind == ApplyKind.Json && level.MemberOf(value) is { } member ? $"(CASE WHEN {member.Present} THEN 1 END)" : value.Sql;

    private ApplyValue Arithmetic(BinaryOperatorNode binary)
    {
        var symbol = binary.OperatorKind switch
        {
            BinaryOperatorKind.Add => "+",
            BinaryOperatorKind.Subtract => "-",
            BinaryOperatorKind.Multiply => "*",
            BinaryOperatorKind.Divide => "/",
            BinaryOperatorKind.Modulo => "%",
            _ => throw NotEvaluated($"the {binary.OperatorKind} operator"),
        };
        var left = Numeric(Value(binary.Left), symbol);
        var right = Numeric(Value(binary.Right), symbol);
        var kind = (ApplyKind)Math.Max((int)left.Kind, (int)right.Kind);
        return new ApplyValue($"({left.Sql} {symbol} {right.Sql})", kind);
    }

    private ApplyValue Numeric(ApplyValue value, string operation) => value.Kind switch
    {
        ApplyKind.Int32 or ApplyKind.Int64 or ApplyKind.Decimal or ApplyKind.Double => value,
        ApplyKind.Json when level.MemberOf(value) is { } member => new ApplyValue(member.Number, ApplyKind.Double),
        _ => throw NotEvaluated($"arithmetic ({operation}) on a value of type {value.Kind}"),
    };

    private ApplyValue Function(SingleValueFunctionCallNode call)
    {
        var name = call.Name.ToLowerInvariant();
        var arguments = call.Parameters.ToList();
        switch (name)
        {
            case "year" or "month" or "day" or "hour" or "minute" or "second" when arguments.Count == 1:
                var value = Value((SingleValueNode)arguments[0]);
                if (value.Kind is not (ApplyKind.DateTimeOffset or ApplyKind.Date))
                {
                    throw ApiException.BadRequest("invalidQueryOption", $"{option}: {name}() takes a date-time such as startDateTime.", option);
                }

                return new ApplyValue(Dialect.DatePart(name, value.Sql), ApplyKind.Int32);
            case "date" when arguments.Count == 1:
                return new ApplyValue(Dialect.DateOf(Value((SingleValueNode)arguments[0]).Sql), ApplyKind.Date);
            case "isof" when arguments.Count == 2 && arguments[0] is ResourceRangeVariableReferenceNode && arguments[1] is ConstantNode { Value: string type }:
                return new ApplyValue(Dialect.Flag(level.IsOf(type, option)), ApplyKind.Boolean);
            default:
                throw NotEvaluated($"the function {call.Name}", "In $apply: year, month, day, hour, minute, second, date, isof('type'), comparisons, and/or/not and arithmetic");
        }
    }

#pragma warning disable CS0618 // ODL 8 still binds Edm.Date literals as Microsoft.OData.Edm.Date.
    private ApplyValue Constant(ConstantNode constant)
    {
        object? value = constant.Value switch
        {
            ODataEnumValue enumValue => (int)(RunStatusNames.Parse(enumValue.Value)
                ?? throw ApiException.BadRequest("invalidEnumValue", $"{option}: '{enumValue.Value}' is not a runStatus member.", option)),
            DateTimeOffset dateTime => Dialect.IsSqlite ? dateTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) : dateTime.ToUniversalTime(),
            Date date => date.ToString(),
            DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            bool flag => flag ? 1 : 0,
            var other => other,
        };
        var kind = constant.Value switch
        {
            null => ApplyKind.String,
            ODataEnumValue => ApplyKind.Status,
            string => ApplyKind.String,
            int or short or byte or sbyte => ApplyKind.Int32,
            long => ApplyKind.Int64,
            decimal => ApplyKind.Decimal,
            double or float => ApplyKind.Double,
            bool => ApplyKind.Boolean,
            DateTimeOffset => ApplyKind.DateTimeOffset,
            Date or DateOnly => ApplyKind.Date,
            _ => throw NotEvaluated($"a literal of type {constant.TypeReference?.FullName() ?? "null"}"),
        };
        return value is null ? new ApplyValue("NULL", kind) : new ApplyValue(level.Parameter(value), kind);
    }
#pragma warning restore CS0618

    private static bool IsNull(SingleValueNode node) => node is ConstantNode { Value: null } || (node is ConvertNode convert && IsNull(convert.Source));

    private static string? Comparison(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.Equal => "=",
        BinaryOperatorKind.NotEqual => "<>",
        BinaryOperatorKind.GreaterThan => ">",
        BinaryOperatorKind.GreaterThanOrEqual => ">=",
        BinaryOperatorKind.LessThan => "<",
        BinaryOperatorKind.LessThanOrEqual => "<=",
        _ => null,
    };

    private ApiException NotEvaluated(string construct, string alternative = "In $apply: comparisons, and/or/not, arithmetic, year/month/day/hour/minute/second/date and isof('type') over the properties of run and statistics members") =>
        QueryNotImplemented.For(construct, alternative, option);
}
