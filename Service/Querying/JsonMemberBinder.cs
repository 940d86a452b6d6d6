using System.Linq.Expressions;
using IndustryData.OData.Model.Edm;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// Binds OData expressions over the values stored as JSON (URL Conventions §5.1.1.15, §5.1.1.10, §5.1.1.13): dynamic
/// members of the open <c>statistics</c> (nested too), the properties of <c>blockingError</c> and its <c>innerError</c>,
/// <c>any</c>/<c>all</c> and <c>$count</c> (with <c>$filter</c>) over <c>blockingError/details</c>, and structural
/// <c>eq null</c>, to <see cref="JsonMemberAccess"/> reads the providers evaluate in SQL. A dynamic member is read
/// with the type of what it is compared with (OData's typing rules): a member holding a string compared with a number
/// matches nothing, and a missing member is null.
/// </summary>
/// <param name="bind">Binds any other node (the filter binder).</param>
/// <param name="column">Binds a statistics or blockingError property of a run to its CLR property (type casts included).</param>
public sealed class JsonMemberBinder(Func<QueryNode, Expression> bind, Func<SingleComplexNode, Expression> column)
{
    private static readonly string[] JsonColumns = ["statistics", "blockingError"];

    /// <summary>Whether <paramref name="node"/> is a value stored inside a JSON column.</summary>
    public static bool IsJsonValue(QueryNode node) => Unconverted(node) switch
    {
        SingleValueOpenPropertyAccessNode open => Root(open.Source) is not null,
        SingleValuePropertyAccessNode property => property.Source is SingleComplexNode complex && Root(complex) is not null,
        SingleComplexNode complex => complex.Source is SingleComplexNode && Root(complex) is not null,
        _ => false,
    };

    /// <summary>A comparison with a JSON value on one side; null when neither side is one.</summary>
    public Expression? TryBindComparison(BinaryOperatorNode node)
    {
        if (node.OperatorKind is not (BinaryOperatorKind.Equal or BinaryOperatorKind.NotEqual or BinaryOperatorKind.GreaterThan
            or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual))
        {
            return null;
        }

        var leftIsJson = IsJsonValue(node.Left);
        if (!leftIsJson && !IsJsonValue(node.Right))
        {
            return null;
        }

        var (member, other) = leftIsJson ? (Unconverted(node.Left), Unconverted(node.Right)) : (Unconverted(node.Right), Unconverted(node.Left));
        if (IsJsonValue(other))
        {
            throw QueryNotImplemented.For("a comparison of two values stored as JSON", "Compare a member of statistics or blockingError with a literal or a parameter alias");
        }

        var (json, parent, name) = Locate(member);
        var isNull = JsonMemberAccess.Call(nameof(JsonMemberAccess.IsNull), json, Expression.Constant(parent), Expression.Constant(name));
        if (other is ConstantNode { Value: null })
        {
            return node.OperatorKind switch
            {
                BinaryOperatorKind.Equal => isNull,
                BinaryOperatorKind.NotEqual => Expression.Not(isNull),
                _ => Expression.Constant(false),
            };
        }

        var read = ReadFor(other.TypeReference);
        if (read is null)
        {
            // OData's typing rules: a JSON member holds a string, number, boolean, object or array, never a value of
            // the other operand's type; so it equals nothing, differs only when it is null, and orders with nothing.
            return node.OperatorKind == BinaryOperatorKind.NotEqual ? isNull : Expression.Constant(false);
        }

        var value = JsonMemberAccess.Call(read.Value.Method, json, Expression.Constant(parent), Expression.Constant(name));
        var literal = Expression.Convert(bind(other), value.Type);
        var (left, right) = leftIsJson ? ((Expression)value, (Expression)literal) : (literal, value);
        var comparison = Compare(node.OperatorKind, left, right);
        return node.OperatorKind == BinaryOperatorKind.NotEqual
            ? Expression.OrElse(isNull, Expression.AndAlso(Expression.NotEqual(value, Expression.Constant(null, value.Type)), comparison))
            : comparison;
    }

    /// <summary><c>statistics/x in (1,'a')</c>: one typed comparison per item, joined by or; null when the left side is not a JSON value.</summary>
    public Expression? TryBindIn(InNode node)
    {
        if (!IsJsonValue(node.Left))
        {
            return null;
        }

        if (node.Right is not CollectionConstantNode list)
        {
            throw QueryNotImplemented.For("in with a value stored as JSON on the left and no literal list on the right", "Compare with eq and join the comparisons with or");
        }

        // A dynamic member has no type, so the parser reads the list as untyped JSON values: each item is compared with
        // the type of its own value, as statistics/x eq 3 or statistics/x eq 'a' would be.
        var dynamic = Unconverted(node.Left) is SingleValueOpenPropertyAccessNode;
        return list.Collection
            .Select(item => TryBindComparison(new BinaryOperatorNode(BinaryOperatorKind.Equal, node.Left, dynamic ? Typed(item) : item))!)
            .DefaultIfEmpty(Expression.Constant(false))
            .Aggregate(Expression.OrElse);
    }

    /// <summary>An item of an untyped list (<c>in</c> on a dynamic member) as a constant of its value's primitive type.</summary>
    private static ConstantNode Typed(ConstantNode item) => item.Value switch
    {
        null => item,
        string text => new ConstantNode(text, item.LiteralText, EdmCoreModel.Instance.GetString(false)),
        bool flag => new ConstantNode(flag, item.LiteralText, EdmCoreModel.Instance.GetBoolean(false)),
        int or long or double or decimal or float => new ConstantNode(Convert.ToDouble(item.Value, System.Globalization.CultureInfo.InvariantCulture), item.LiteralText, EdmCoreModel.Instance.GetDouble(false)),
        _ => throw QueryNotImplemented.For($"in on a dynamic member with the value {item.LiteralText} (a {item.Value.GetType().Name})",
            "List strings, numbers, true, false or null; compare other values with eq"),
    };

    /// <summary>A JSON value outside a comparison (an argument of a function): read as the type the parser gave it, a string if none.</summary>
    public Expression BindValue(SingleValueNode node)
    {
        var (json, parent, name) = Locate(Unconverted(node));
        var read = ReadFor(node.TypeReference) ?? (nameof(JsonMemberAccess.Text), typeof(string));
        return JsonMemberAccess.Call(read.Method, json, Expression.Constant(parent), Expression.Constant(name));
    }

    /// <summary><c>d/code</c> inside a lambda or a nested $filter over blockingError/details, where d is an element of the array.</summary>
    public static Expression ElementMember(Expression element, string name) =>
        JsonMemberAccess.Call(nameof(JsonMemberAccess.Text), Expression.Property(element, nameof(JsonElementRow.Value)), Expression.Constant(JsonMemberAccess.RootPath), Expression.Constant(name));

    /// <summary>The elements of a collection stored as JSON (blockingError/details, innerError/details), or null if the node is not one.</summary>
    public (Expression Json, Expression Elements)? Collection(CollectionNode node)
    {
        if (node is not CollectionComplexNode { Source: SingleComplexNode complex } collection || Root(complex) is null)
        {
            return null;
        }

        var (json, parentPath) = Object(complex);
        var path = parentPath + "." + JsonMemberAccess.Quoted(collection.Property.Name);
        return (json, Expression.Call(JsonMemberAccess.ElementsMethod, json, Expression.Constant(path)));
    }

    /// <summary>The JSON text of the column and the path of the object <paramref name="complex"/> is in it.</summary>
    private (Expression Json, string Path) Object(SingleComplexNode complex)
    {
        var names = new List<string>();
        var current = complex;
        while (current.Source is SingleComplexNode parent)
        {
            names.Insert(0, current.Property.Name);
            current = parent;
        }

        return (JsonMemberAccess.Call(nameof(JsonMemberAccess.Json), column(current)), JsonMemberAccess.Path(names));
    }

    private (Expression Json, string Parent, string Name) Locate(SingleValueNode node)
    {
        switch (node)
        {
            case SingleValuePropertyAccessNode { Source: SingleComplexNode complex } property:
            {
                var (json, path) = Object(complex);
                return (json, path, property.Property.Name);
            }

            case SingleComplexNode { Source: SingleComplexNode parent } complex:
            {
                var (json, path) = Object(parent);
                return (json, path, complex.Property.Name);
            }

            case SingleValueOpenPropertyAccessNode open:
            {
                var names = new List<string>();
                SingleValueNode source = open;
                while (source is SingleValueOpenPropertyAccessNode member)
                {
                    names.Insert(0, member.Name);
                    source = member.Source;
                }

                var (json, path) = Object((SingleComplexNode)source);
                return (json, path + string.Concat(names[..^1].Select(name => "." + JsonMemberAccess.Quoted(name))), names[^1]);
            }

            default:
                throw new InvalidOperationException($"Not a JSON value: {node.Kind}.");
        }
    }

    /// <summary>The column a JSON value is stored in (statistics or blockingError), or null if it is not stored as JSON.</summary>
    private static SingleComplexNode? Root(SingleValueNode? node)
    {
        while (node is SingleValueOpenPropertyAccessNode open)
        {
            node = open.Source;
        }

        if (node is not SingleComplexNode complex)
        {
            return null;
        }

        while (complex.Source is SingleComplexNode parent)
        {
            complex = parent;
        }

        return JsonColumns.Contains(complex.Property.Name) && complex.Property.DeclaringType is IEdmEntityType ? complex : null;
    }

    private static (string Method, Type Type)? ReadFor(IEdmTypeReference? type) => type?.PrimitiveKind() switch
    {
        EdmPrimitiveTypeKind.String => (nameof(JsonMemberAccess.Text), typeof(string)),
        EdmPrimitiveTypeKind.Boolean => (nameof(JsonMemberAccess.Boolean), typeof(bool?)),
        EdmPrimitiveTypeKind.Byte or EdmPrimitiveTypeKind.SByte or EdmPrimitiveTypeKind.Int16 or EdmPrimitiveTypeKind.Int32 or EdmPrimitiveTypeKind.Int64
            or EdmPrimitiveTypeKind.Decimal or EdmPrimitiveTypeKind.Double or EdmPrimitiveTypeKind.Single => (nameof(JsonMemberAccess.Number), typeof(double?)),
        _ => null,
    };

    private static Expression Compare(BinaryOperatorKind kind, Expression left, Expression right)
    {
        var type = kind switch
        {
            BinaryOperatorKind.Equal => ExpressionType.Equal,
            BinaryOperatorKind.NotEqual => ExpressionType.NotEqual,
            BinaryOperatorKind.GreaterThan => ExpressionType.GreaterThan,
            BinaryOperatorKind.GreaterThanOrEqual => ExpressionType.GreaterThanOrEqual,
            BinaryOperatorKind.LessThan => ExpressionType.LessThan,
            _ => ExpressionType.LessThanOrEqual,
        };
        if (left.Type != typeof(string) || type is ExpressionType.Equal or ExpressionType.NotEqual)
        {
            return Expression.MakeBinary(type, left, right);
        }

        // string has no < operator; EF translates string.Compare(a, b) op 0 to a op b in SQL.
        var compare = Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, left, right);
        return Expression.MakeBinary(type, compare, Expression.Constant(0));
    }

    private static SingleValueNode Unconverted(QueryNode node) => node is ConvertNode convert ? Unconverted(convert.Source) : (SingleValueNode)node;
}
