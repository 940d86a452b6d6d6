using System.Linq.Expressions;
using IndustryData.OData.Model.Edm;
using IndustryData.OData.Model.Runs;
using Microsoft.OData.Edm;
using Microsoft.OData.ModelBuilder;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// The total order of a list: the client's $orderby keys (properties, members of statistics: <see cref="JsonMemberSortKey"/>,
/// properties of $compute: <see cref="ComputedSortKey"/>), then id, so that every row has one place and a cursor
/// (the last row's keys) says exactly where the next page starts. id takes the direction of the last key, which lets one
/// index serve both <c>$orderby=x</c> and <c>$orderby=x desc</c>.
/// </summary>
public sealed class SortOrder
{
    private SortOrder(IReadOnlyList<SortKey> keys) => Keys = keys;

    public IReadOnlyList<SortKey> Keys { get; }

    /// <summary>What the database orders by: the columns of every key, in order.</summary>
    public IReadOnlyList<SortColumn> Columns => [.. Keys.SelectMany(key => key.Columns)];

    public static SortOrder For(OrderByClause? clause, Type elementClrType, ComputedProperties? computed = null)
    {
        var keys = new List<SortKey>();
        for (; clause is not null; clause = clause.ThenBy)
        {
            var descending = clause.Direction == OrderByDirection.Descending;
            if (clause.Expression is SingleValueOpenPropertyAccessNode open && computed?.Find(open.Name) is { } computedProperty)
            {
                keys.Add(new ComputedSortKey(computed, computed.IndexOf(computedProperty), descending));
                continue;
            }

            if (JsonMemberSortKey.MemberPath(clause.Expression) is { } member)
            {
                keys.Add(JsonMemberSortKey.For(member, descending));
                continue;
            }

            var node = (SingleValuePropertyAccessNode)clause.Expression;
            var property = IndustryDataEdm.Model.GetAnnotationValue<ClrPropertyInfoAnnotation>(node.Property).ClrPropertyInfo;
            var castType = CastType(node.Source);
            var key = SortKey.For(property, castType is null || castType.IsAssignableFrom(elementClrType) ? null : castType, descending);
            keys.Add(key);
            if (key.IsId)
            {
                // id is unique: keys after it cannot change the order.
                return new SortOrder(keys);
            }
        }

        keys.Add(SortKey.Id.WithDirection(keys.Count > 0 && keys[^1].Descending));
        return new SortOrder(keys);
    }

    public IQueryable<T> Apply<T>(IQueryable<T> source)
        where T : Run
    {
        var run = Expression.Parameter(typeof(T), "run");
        var expression = source.Expression;
        var columns = Columns;
        for (var i = 0; i < columns.Count; i++)
        {
            var key = columns[i];
            var method = (i == 0, key.Descending) switch
            {
                (true, false) => nameof(Queryable.OrderBy),
                (true, true) => nameof(Queryable.OrderByDescending),
                (false, false) => nameof(Queryable.ThenBy),
                (false, true) => nameof(Queryable.ThenByDescending),
            };
            expression = Expression.Call(typeof(Queryable), method, [typeof(T), key.ValueType], expression,
                Expression.Quote(Expression.Lambda(key.Access(run), run)));
        }

        return source.Provider.CreateQuery<T>(expression);
    }

    private static Type? CastType(SingleValueNode source) => source switch
    {
        SingleResourceCastNode cast => ClrType(cast.StructuredTypeReference.Definition),
        SingleResourceFunctionCallNode { Name: "cast" } call when call.Parameters.Last() is ConstantNode { Value: string name }
            => IndustryDataEdm.Model.FindType(name) is { } type ? ClrType(type) : null,
        _ => null,
    };

    private static Type? ClrType(IEdmType type) => IndustryDataEdm.Model.GetAnnotationValue<ClrTypeAnnotation>(type)?.ClrType;
}
