using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using IndustryData.OData.Model.Runs;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// A sort key on a run property, read through a type cast when the client sorted on
/// <c>{derived type}/{property}</c> over a set that also holds other types (their value is then null, as OData defines).
/// </summary>
public sealed class PropertySortKey : SortKey
{
    private PropertySortKey(PropertyInfo property, Type? castType, bool descending)
        : base(descending)
    {
        Property = property;
        CastType = castType;
        IsNullable = castType is not null || Nullable.GetUnderlyingType(property.PropertyType) is not null
            || (!property.PropertyType.IsValueType && new NullabilityInfoContext().Create(property).ReadState != NullabilityState.NotNull);
        Columns = [new SortColumn(Access, ValueType, IsNullable, descending)];
    }

    public PropertyInfo Property { get; }

    /// <summary>Set when only runs of this type have the value; runs of other types sort as null.</summary>
    public Type? CastType { get; }

    /// <summary>The CLR type of the key's value: a cast makes value types nullable.</summary>
    public Type ValueType => CastType is not null && Property.PropertyType.IsValueType && Nullable.GetUnderlyingType(Property.PropertyType) is null
        ? typeof(Nullable<>).MakeGenericType(Property.PropertyType)
        : Property.PropertyType;

    /// <summary>Whether some run can have null here: a cast key, a nullable value type or a reference declared nullable.</summary>
    public override bool IsNullable { get; }

    public override bool IsId => Property.Name == nameof(Run.Id) && CastType is null;

    public override IReadOnlyList<SortColumn> Columns { get; }

    public static new PropertySortKey For(PropertyInfo property, Type? castType, bool descending) => new(property, castType, descending);

    public override SortKey WithDirection(bool descending) => new PropertySortKey(Property, CastType, descending);

    /// <summary>The key's value on <paramref name="run"/>, as the database orders it.</summary>
    public override object? ValueOf(Run run) => CastType is not null && !CastType.IsInstanceOfType(run) ? null : Property.GetValue(run);

    public override IReadOnlyList<object?> ColumnValues(object? value) => [value];

    public override void Write(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case string text:
                writer.WriteStringValue(text);
                break;
            case DateTimeOffset time:
                writer.WriteStringValue(time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
                break;
            case RunStatus status:
                writer.WriteNumberValue((int)status);
                break;
            default:
                throw new InvalidOperationException($"No cursor form for {value.GetType()}.");
        }
    }

    public override object Read(JsonElement item)
    {
        var type = Nullable.GetUnderlyingType(ValueType) ?? ValueType;
        if (type == typeof(string))
        {
            return item.GetString()!;
        }

        if (type == typeof(DateTimeOffset))
        {
            return DateTimeOffset.ParseExact(item.GetString()!, "O", CultureInfo.InvariantCulture, DateTimeStyles.None);
        }

        return type == typeof(RunStatus) && Enum.IsDefined((RunStatus)item.GetInt32()) ? (RunStatus)item.GetInt32() : throw new FormatException("Not a run status.");
    }

    /// <summary>The key as an expression over <paramref name="run"/>, typed <see cref="ValueType"/>.</summary>
    private Expression Access(ParameterExpression run)
    {
        if (CastType is null)
        {
            return Expression.Property(run, Property);
        }

        var value = Expression.Convert(Expression.Property(Expression.Convert(run, CastType), Property), ValueType);
        return Expression.Condition(Expression.TypeIs(run, CastType), value, Expression.Constant(null, ValueType));
    }
}
