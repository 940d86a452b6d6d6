using System.Linq.Expressions;
using System.Reflection;
using IndustryData.OData.Model.Runs;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// One key of a page's order: a run property, read through a type cast when the client sorted on
/// <c>{derived type}/{property}</c> over a set that also holds other types (their value is then null, as OData defines),
/// or a property of $compute (<see cref="ComputedProperties"/>), whose value the page read next to each run.
/// </summary>
public sealed class SortKey
{
    private readonly (ComputedProperties Set, int Index)? computed;

    private SortKey(PropertyInfo property, Type? castType, bool descending, (ComputedProperties Set, int Index)? computed = null)
    {
        Property = property;
        CastType = castType;
        Descending = descending;
        this.computed = computed;
        IsNullable = computed is not null || castType is not null || Nullable.GetUnderlyingType(property.PropertyType) is not null
            || (!property.PropertyType.IsValueType && new NullabilityInfoContext().Create(property).ReadState != NullabilityState.NotNull);
    }

    public static SortKey Id { get; } = new(typeof(Run).GetProperty(nameof(Run.Id))!, null, descending: false);

    public PropertyInfo Property { get; }

    /// <summary>Set when only runs of this type have the value; runs of other types sort as null.</summary>
    public Type? CastType { get; }

    public bool Descending { get; }

    /// <summary>The CLR type of the key's value: a cast makes value types nullable.</summary>
    public Type ValueType => computed is { } c ? c.Set.Items[c.Index].Access(Expression.Parameter(typeof(Run))).Type
        : CastType is not null && Property.PropertyType.IsValueType && Nullable.GetUnderlyingType(Property.PropertyType) is null
        ? typeof(Nullable<>).MakeGenericType(Property.PropertyType)
        : Property.PropertyType;

    /// <summary>Whether some run can have null here: a cast key, a nullable value type or a reference declared nullable.</summary>
    public bool IsNullable { get; }

    public bool IsId => computed is null && Property.Name == nameof(Run.Id) && CastType is null;

    /// <summary>The computed property this key sorts on, or null for a run property.</summary>
    public ComputedProperty? Computed => computed is { } c ? c.Set.Items[c.Index] : null;

    public static SortKey For(PropertyInfo property, Type? castType, bool descending) => new(property, castType, descending);

    public static SortKey ForComputed(ComputedProperties set, int index, bool descending) => new(Id.Property, null, descending, (set, index));

    public SortKey WithDirection(bool descending) => new(Property, CastType, descending, computed);

    /// <summary>The key's value on <paramref name="run"/>, as the database orders it.</summary>
    public object? ValueOf(Run run) => computed is { } c ? c.Set.ValuesOf(run)?[c.Index]
        : CastType is not null && !CastType.IsInstanceOfType(run) ? null : Property.GetValue(run);

    /// <summary>The key as an expression over <paramref name="run"/>, typed <see cref="ValueType"/>.</summary>
    public Expression Access(ParameterExpression run)
    {
        if (computed is { } c)
        {
            return c.Set.Items[c.Index].Access(run);
        }

        if (CastType is null)
        {
            return Expression.Property(run, Property);
        }

        var value = Expression.Convert(Expression.Property(Expression.Convert(run, CastType), Property), ValueType);
        return Expression.Condition(Expression.TypeIs(run, CastType), value, Expression.Constant(null, ValueType));
    }
}
