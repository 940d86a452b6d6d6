using System.Globalization;
using System.Linq.Expressions;
using System.Xml;
using IndustryData.OData.Model.Edm;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// cast and isof with a primitive type (URL Conventions §5.1.1.11.1): a literal is cast here by OData's assignment
/// rules (a string holding a literal of the target type becomes that value, numbers convert with rounding, anything
/// that does not fit is null); on a property only the casts SQL does exactly (to its own type, integer widening, enum
/// to integer) are evaluated, others are a 501.
/// </summary>
public static class PrimitiveCast
{
    public static Expression Bind(SingleValueFunctionCallNode node, List<SingleValueNode> arguments, Func<QueryNode, Expression> bind)
    {
        var target = TargetType(node, arguments);
        var source = arguments.Count == 2 ? arguments[0] : null;
        if (source is null)
        {
            throw QueryNotImplemented.For($"cast($it,{target.FullName()})", "Only derived entity types can be cast to on the run itself");
        }

        var clrType = ClrType(target.PrimitiveKind());
        if (LiteralValues.IsLiteral(source))
        {
            // A value that casts is typed as itself (a Boolean can then stand as a condition); one that does not is null.
            return Cast(LiteralValues.ValueOf(source), target.PrimitiveKind()) is { } cast
                ? QueryParameter.Of(cast.GetType(), cast)
                : Expression.Constant(null, clrType);
        }

        if (source.TypeReference?.IsStructured() == true)
        {
            // No assignment rule casts a structured value to a primitive type: the cast fails, which is null.
            return Expression.Constant(null, clrType);
        }

        var value = bind(source);
        var sourceType = Nullable.GetUnderlyingType(value.Type) ?? value.Type;
        var targetType = Nullable.GetUnderlyingType(clrType) ?? clrType;
        if (sourceType == targetType)
        {
            return value;
        }

        if ((sourceType.IsEnum || IsInteger(sourceType)) && (IsWider(targetType, sourceType) || (sourceType.IsEnum && IsInteger(targetType))))
        {
            return Expression.Convert(value, clrType);
        }

        throw QueryNotImplemented.For($"cast from {source.TypeReference?.FullName()} to {target.FullName()} on a property",
            "Cast literals instead (cast('31',Edm.Int32)), or compare the property with a literal of its own type");
    }

    public static Expression BindIsOf(SingleValueFunctionCallNode node, List<SingleValueNode> arguments, Func<QueryNode, Expression> bind)
    {
        var target = TargetType(node, arguments);
        if (arguments.Count == 2 && arguments[0].TypeReference?.Definition is IEdmPrimitiveType type && type.PrimitiveKind == target.PrimitiveKind())
        {
            var value = bind(arguments[0]);
            return value.Type.IsValueType && Nullable.GetUnderlyingType(value.Type) is null
                ? Expression.Constant(true)
                : Expression.NotEqual(value, Expression.Constant(null, value.Type));
        }

        throw QueryNotImplemented.For($"isof with {target.FullName()} on a value of another type", "isof on a value of its own type, or on the run with a derived entity type");
    }

    /// <summary>The value of a literal cast to a primitive kind by OData's rules; null when the cast fails.</summary>
    public static object? Cast(object? value, EdmPrimitiveTypeKind kind)
    {
        try
        {
            return value switch
            {
                null => null,
                string text => Parse(text, kind),
                _ when kind == EdmPrimitiveTypeKind.String => Format(value),
                Microsoft.OData.ODataEnumValue enumValue when IsIntegerKind(kind) => CastNumber(long.Parse(enumValue.Value, CultureInfo.InvariantCulture), kind),
                sbyte or byte or short or int or long or float or double or decimal => CastNumber(value, kind),
                _ => null,
            };
        }
        catch (Exception exception) when (exception is FormatException or OverflowException)
        {
            return null;
        }
    }

    private static IEdmPrimitiveTypeReference TargetType(SingleValueFunctionCallNode node, List<SingleValueNode> arguments)
    {
        var name = LiteralValues.ValueOf(arguments[^1]) as string;
        return name is not null && IndustryDataEdm.Model.FindType(name) is IEdmPrimitiveType primitive
            ? new EdmPrimitiveTypeReference(primitive, isNullable: true)
            : throw QueryNotImplemented.For($"{node.Name} with the type {name}", "Use a primitive type (Edm.Int32, Edm.String, …) or a derived run type");
    }

    private static object? Parse(string text, EdmPrimitiveTypeKind kind) => kind switch
    {
        EdmPrimitiveTypeKind.String => text,
        EdmPrimitiveTypeKind.Boolean => text.Equals("true", StringComparison.OrdinalIgnoreCase) ? true : text.Equals("false", StringComparison.OrdinalIgnoreCase) ? false : null,
        EdmPrimitiveTypeKind.Byte => byte.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        EdmPrimitiveTypeKind.SByte => sbyte.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        EdmPrimitiveTypeKind.Int16 => short.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        EdmPrimitiveTypeKind.Int32 => int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        EdmPrimitiveTypeKind.Int64 => long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        EdmPrimitiveTypeKind.Decimal => decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture),
        EdmPrimitiveTypeKind.Double => ParseFloating(text),
        EdmPrimitiveTypeKind.Single => ParseFloating(text) is { } number ? (float)number : null,
        EdmPrimitiveTypeKind.Guid => Guid.ParseExact(text, "D"),
        EdmPrimitiveTypeKind.DateTimeOffset => XmlConvert.ToDateTimeOffset(text.Contains('T', StringComparison.Ordinal) && !HasZone(text) ? text + "Z" : text),
        _ => throw new FormatException(),
    };

    private static double? ParseFloating(string text) => text switch
    {
        "INF" => double.PositiveInfinity,
        "-INF" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture),
    };

    private static bool HasZone(string text) => text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > text.IndexOf('T', StringComparison.Ordinal);

    /// <summary>The literal representation OData uses in payloads.</summary>
    private static string? Format(object value) => value switch
    {
        bool flag => flag ? "true" : "false",
        double number => double.IsPositiveInfinity(number) ? "INF" : double.IsNegativeInfinity(number) ? "-INF" : number.ToString("R", CultureInfo.InvariantCulture),
        float number => float.IsPositiveInfinity(number) ? "INF" : float.IsNegativeInfinity(number) ? "-INF" : number.ToString("R", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.Offset == TimeSpan.Zero
            ? time.UtcDateTime.ToString(@"yyyy\-MM\-dd\THH\:mm\:ss.FFFFFFF\Z", CultureInfo.InvariantCulture)
            : time.ToString(@"yyyy\-MM\-dd\THH\:mm\:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        TimeSpan duration => XmlConvert.ToString(duration),
        Guid id => id.ToString("D"),
#pragma warning disable CS0618 // ODL 8 still parses Edm.Date and Edm.TimeOfDay literals into these types.
        Microsoft.OData.Edm.Date date => date.ToString(),
        Microsoft.OData.Edm.TimeOfDay time => time.ToString(),
#pragma warning restore CS0618
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>Numbers convert with rounding half away from zero; a value whose integer part does not fit is null.</summary>
    private static object? CastNumber(object value, EdmPrimitiveTypeKind kind)
    {
        if (value is double or float && !double.IsFinite(Convert.ToDouble(value, CultureInfo.InvariantCulture)))
        {
            return kind is EdmPrimitiveTypeKind.Double ? Convert.ToDouble(value, CultureInfo.InvariantCulture)
                : kind is EdmPrimitiveTypeKind.Single ? Convert.ToSingle(value, CultureInfo.InvariantCulture) : null;
        }

        var number = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
        var whole = Math.Round(number, MidpointRounding.AwayFromZero);
        return kind switch
        {
            EdmPrimitiveTypeKind.Byte => (byte)whole,
            EdmPrimitiveTypeKind.SByte => (sbyte)whole,
            EdmPrimitiveTypeKind.Int16 => (short)whole,
            EdmPrimitiveTypeKind.Int32 => (int)whole,
            EdmPrimitiveTypeKind.Int64 => (long)whole,
            EdmPrimitiveTypeKind.Decimal => number,
            EdmPrimitiveTypeKind.Double => (double)number,
            EdmPrimitiveTypeKind.Single => (float)number,
            _ => null,
        };
    }

    public static Type ClrType(EdmPrimitiveTypeKind kind) => kind switch
    {
        EdmPrimitiveTypeKind.String => typeof(string),
        EdmPrimitiveTypeKind.Boolean => typeof(bool?),
        EdmPrimitiveTypeKind.Byte => typeof(byte?),
        EdmPrimitiveTypeKind.SByte => typeof(sbyte?),
        EdmPrimitiveTypeKind.Int16 => typeof(short?),
        EdmPrimitiveTypeKind.Int32 => typeof(int?),
        EdmPrimitiveTypeKind.Int64 => typeof(long?),
        EdmPrimitiveTypeKind.Decimal => typeof(decimal?),
        EdmPrimitiveTypeKind.Double => typeof(double?),
        EdmPrimitiveTypeKind.Single => typeof(float?),
        EdmPrimitiveTypeKind.Guid => typeof(Guid?),
        EdmPrimitiveTypeKind.DateTimeOffset => typeof(DateTimeOffset?),
        _ => throw QueryNotImplemented.For($"cast to Edm.{kind}", "Cast to a numeric type, Edm.Boolean, Edm.String, Edm.Guid or Edm.DateTimeOffset"),
    };

    private static bool IsIntegerKind(EdmPrimitiveTypeKind kind) =>
        kind is EdmPrimitiveTypeKind.Byte or EdmPrimitiveTypeKind.SByte or EdmPrimitiveTypeKind.Int16 or EdmPrimitiveTypeKind.Int32 or EdmPrimitiveTypeKind.Int64;

    private static bool IsInteger(Type type) => type == typeof(byte) || type == typeof(sbyte) || type == typeof(short) || type == typeof(int) || type == typeof(long);

    /// <summary>Whether every value of an integer type <paramref name="source"/> is exactly a value of <paramref name="target"/>.</summary>
    private static bool IsWider(Type target, Type source) =>
        target == typeof(decimal) || target == typeof(long)
        || (target == typeof(double) && source != typeof(long))
        || (target == typeof(int) && (source == typeof(short) || source == typeof(byte) || source == typeof(sbyte)));
}
