using IndustryData.OData.Model.Edm;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Querying;
using IndustryData.OData.Service.Runs;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Serialization;

/// <summary>
/// How the properties of $compute go out (URL Conventions §5.1.3, JSON Format §4.5.3): as dynamic properties of each run,
/// when $select names them or is * or absent; with their type (<c>"n@odata.type":"#Int32"</c>) where JSON does not tell it.
/// </summary>
public static class ComputedOutput
{
    /// <summary>The aliases <paramref name="clause"/> selects: every one without $select or with *, else those it names.</summary>
    public static IEnumerable<string> Selected(ComputedProperties computed, SelectExpandClause? clause)
    {
        if (clause is null || clause.AllSelected || clause.SelectedItems.OfType<WildcardSelectItem>().Any())
        {
            return computed.Items.Select(item => item.Alias);
        }

        var named = clause.SelectedItems.OfType<PathSelectItem>().Select(item => item.SelectedPath.LastSegment).OfType<DynamicPathSegment>()
            .Select(segment => segment.Identifier).ToHashSet(StringComparer.Ordinal);
        return computed.Items.Select(item => item.Alias).Where(named.Contains);
    }

    public static ODataProperty Property(ComputedProperty property, object? value)
    {
        if (value is null)
        {
            return new ODataProperty { Name = property.Alias, Value = null };
        }

        var kind = property.Type?.PrimitiveKind() ?? EdmPrimitiveTypeKind.None;
        ODataValue written = (kind, value) switch
        {
            (_, RunStatus status) => new ODataEnumValue(RunStatusNames.ToWireName(status), IndustryDataEdm.RunStatusTypeName),
            (EdmPrimitiveTypeKind.Duration, long ticks) => Typed(TimeSpan.FromTicks(ticks), "Edm.Duration"),
            (_, TimeSpan duration) => Typed(duration, "Edm.Duration"),
            (_, DateTime date) when kind == EdmPrimitiveTypeKind.Date => Typed(DateOnly.FromDateTime(date), "Edm.Date"),
            (_, DateTime dateTime) => Typed(new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)), "Edm.DateTimeOffset"),
            (_, DateOnly date) => Typed(date, "Edm.Date"),
            (_, TimeOnly time) => Typed(time, "Edm.TimeOfDay"),
            (_, DateTimeOffset dateTime) => Typed(dateTime.ToUniversalTime(), "Edm.DateTimeOffset"),
            (_, int number) => Typed(number, "Edm.Int32"),
            (_, long number) => Typed(number, "Edm.Int64"),
            (_, decimal number) => Typed(number, "Edm.Decimal"),
            (_, string or bool or double) => new ODataPrimitiveValue(value),
            _ => new ODataPrimitiveValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)),
        };
        return new ODataProperty { Name = property.Alias, Value = written };
    }

    /// <summary>A value JSON cannot type by itself: its @odata.type is written (JSON Format §4.5.3, dynamic properties).</summary>
    private static ODataPrimitiveValue Typed(object value, string typeName) => new(value) { TypeAnnotation = new ODataTypeAnnotation(typeName) };
}
