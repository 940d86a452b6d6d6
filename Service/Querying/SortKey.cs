using System.Reflection;
using System.Text.Json;
using IndustryData.OData.Model.Runs;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// One key of a list's order, as the client wrote it in $orderby (or the id that ends every order): a run property
/// (<see cref="PropertySortKey"/>), a member of statistics (<see cref="JsonMemberSortKey"/>) or a property of $compute
/// (<see cref="ComputedSortKey"/>). The columns the
/// database sorts by, and the key's value on a row as a cursor carries it (<see cref="SkipToken"/>).
/// </summary>
public abstract class SortKey
{
    protected SortKey(bool descending) => Descending = descending;

    public static SortKey Id { get; } = PropertySortKey.For(typeof(Run).GetProperty(nameof(Run.Id))!, null, descending: false);

    public bool Descending { get; }

    /// <summary>Whether the key is the run's id, which is unique: keys after it cannot change the order.</summary>
    public virtual bool IsId => false;

    /// <summary>What the database orders by for this key, in order.</summary>
    public abstract IReadOnlyList<SortColumn> Columns { get; }

    public static SortKey For(PropertyInfo property, Type? castType, bool descending) => PropertySortKey.For(property, castType, descending);

    public abstract SortKey WithDirection(bool descending);

    /// <summary>The key's value on <paramref name="run"/>, as a cursor carries it.</summary>
    public abstract object? ValueOf(Run run);

    /// <summary>The value of each of <see cref="Columns"/> for a cursor value of this key.</summary>
    public abstract IReadOnlyList<object?> ColumnValues(object? value);

    /// <summary>Writes a (non-null) cursor value.</summary>
    public abstract void Write(Utf8JsonWriter writer, object value);

    /// <summary>A (non-null) cursor value read back; FormatException or InvalidOperationException when it is not one.</summary>
    public abstract object Read(JsonElement item);

    /// <summary>Whether some run can have null as this key's value.</summary>
    public abstract bool IsNullable { get; }

    /// <summary>The property of $compute this key sorts on, or null (<see cref="ComputedSortKey"/>).</summary>
    public virtual ComputedProperty? Computed => null;

    /// <summary>Whether a cursor can carry this key's value so that a next page starts exactly after the last row.</summary>
    public virtual bool CursorCarries => true;
}
