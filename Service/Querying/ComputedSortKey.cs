using System.Linq.Expressions;
using System.Text.Json;
using IndustryData.OData.Model.Runs;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// A sort key on a property of $compute (<see cref="ComputedProperties"/>): the database orders by the computed
/// expression, and the page read its value next to each run. A cursor carries it only when the value compares in SQL
/// exactly as it was read — text and integers; a decimal, double, date or duration might not, so such a key may not
/// continue on a next page (<see cref="RunQuery"/> answers 501 then).
/// </summary>
public sealed class ComputedSortKey : SortKey
{
    private readonly ComputedProperties set;
    private readonly int index;

    public ComputedSortKey(ComputedProperties set, int index, bool descending)
        : base(descending)
    {
        ArgumentNullException.ThrowIfNull(set);
        this.set = set;
        this.index = index;
        ValueType = Computed.Access(Expression.Parameter(typeof(Run))).Type;
        Columns = [new SortColumn(Computed.Access, ValueType, isNullable: true, descending)];
    }

    public override ComputedProperty Computed => set.Items[index];

    /// <summary>The CLR type of the computed value (nullable: a computed value is null where an argument is).</summary>
    public Type ValueType { get; }

    public override bool IsNullable => true;

    public override bool CursorCarries => (Nullable.GetUnderlyingType(ValueType) ?? ValueType) is var type
        && (type == typeof(string) || type == typeof(int) || type == typeof(long));

    public override IReadOnlyList<SortColumn> Columns { get; }

    public override SortKey WithDirection(bool descending) => new ComputedSortKey(set, index, descending);

    public override object? ValueOf(Run run) => set.ValuesOf(run)?[index];

    public override IReadOnlyList<object?> ColumnValues(object? value) => [value];

    public override void Write(Utf8JsonWriter writer, object value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case string text:
                writer.WriteStringValue(text);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            default:
                throw new InvalidOperationException($"No cursor form for a computed {value.GetType()}.");
        }
    }

    public override object Read(JsonElement item)
    {
        var type = Nullable.GetUnderlyingType(ValueType) ?? ValueType;
        if (type == typeof(string))
        {
            return item.GetString()!;
        }

        if (type == typeof(int))
        {
            return item.GetInt32();
        }

        return type == typeof(long) ? item.GetInt64() : throw new FormatException($"No cursor form for a computed {type}.");
    }
}
