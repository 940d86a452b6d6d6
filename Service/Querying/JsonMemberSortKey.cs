using System.Linq.Expressions;
using System.Text.Json;
using IndustryData.OData.Model.Runs;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// <c>$orderby=statistics/recordsSent</c>: a sort key on a dynamic member of the open statistics, which can hold a
/// different JSON type on every run. Its total order: by class — missing or null, false, true, numbers, strings,
/// objects and arrays (<see cref="JsonMemberAccess.SortClass"/>) — then numbers numerically and strings by code point;
/// objects and arrays tie (the next key, at last id, decides). So nulls come first ascending and last descending, as
/// OData orders null. The cursor carries the member's JSON value itself, a number as its exact text, which each database
/// converts as it converts the stored member: the seek compares the very expression the list is sorted by.
/// </summary>
public sealed class JsonMemberSortKey : SortKey
{
    private const int NullClass = 0;
    private const string Statistics = "statistics";

    private readonly IReadOnlyList<string> names;
    private readonly string parentPath;

    private JsonMemberSortKey(IReadOnlyList<string> names, bool descending)
        : base(descending)
    {
        this.names = names;
        parentPath = JsonMemberAccess.Path(names.Take(names.Count - 1));
        Columns =
        [
            new SortColumn(run => Read(nameof(JsonMemberAccess.SortClass), run), typeof(int), isNullable: false, descending),
            new SortColumn(run => Read(nameof(JsonMemberAccess.SortNumber), run), typeof(double?), isNullable: true, descending,
                text => JsonMemberAccess.Call(nameof(JsonMemberAccess.ToNumber), QueryParameter.Of(typeof(string), text))),
            new SortColumn(run => Read(nameof(JsonMemberAccess.SortText), run), typeof(string), isNullable: true, descending),
        ];
    }

    public override IReadOnlyList<SortColumn> Columns { get; }

    /// <summary>A member can be missing or null on any run.</summary>
    public override bool IsNullable => true;

    /// <summary>The member names from statistics down when <paramref name="node"/> is a dynamic member of a run's statistics; else null.</summary>
    public static IReadOnlyList<string>? MemberPath(SingleValueNode node)
    {
        var names = new List<string>();
        while (node is SingleValueOpenPropertyAccessNode open)
        {
            names.Insert(0, open.Name);
            node = open.Source;
        }

        return names.Count > 0 && node is SingleComplexNode { Property.Name: Statistics, Source: ResourceRangeVariableReferenceNode } ? names : null;
    }

    public static JsonMemberSortKey For(IReadOnlyList<string> names, bool descending) => new(names, descending);

    public override SortKey WithDirection(bool descending) => new JsonMemberSortKey(names, descending);

    /// <summary>The member's JSON value on <paramref name="run"/>, or null when it is missing.</summary>
    public override object? ValueOf(Run run)
    {
        if (!run.Statistics.OpenMembers.TryGetValue(names[0], out var value))
        {
            return null;
        }

        foreach (var name in names.Skip(1))
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value))
            {
                return null;
            }
        }

        return value;
    }

    /// <summary>The class, the number's text (converted by the database) and the string of a cursor value.</summary>
    public override IReadOnlyList<object?> ColumnValues(object? value)
    {
        var element = value as JsonElement?;
        return
        [
            Class(element),
            element?.ValueKind == JsonValueKind.Number ? element.Value.GetRawText() : null,
            element?.ValueKind == JsonValueKind.String ? element.Value.GetString() : null,
        ];
    }

    /// <summary>The value itself; an object or array only as its kind (the class is all the order uses).</summary>
    public override void Write(Utf8JsonWriter writer, object value)
    {
        var element = (JsonElement)value;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    public override object Read(JsonElement item) => item.Clone();

    /// <summary>The class <see cref="JsonMemberAccess.SortClass"/> gives the value in the database.</summary>
    private static int Class(JsonElement? value) => value?.ValueKind switch
    {
        JsonValueKind.False => 1,
        JsonValueKind.True => 2,
        JsonValueKind.Number => 3,
        JsonValueKind.String => 4,
        JsonValueKind.Object or JsonValueKind.Array => 5,
        _ => NullClass,
    };

    private Expression Read(string method, ParameterExpression run) => JsonMemberAccess.Call(method,
        JsonMemberAccess.Call(nameof(JsonMemberAccess.Json), Expression.Property(run, nameof(Run.Statistics))),
        Expression.Constant(parentPath), Expression.Constant(names[^1]));
}
