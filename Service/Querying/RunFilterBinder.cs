using System.Collections;
using System.Linq.Expressions;
using IndustryData.OData.Model.Errors;
using IndustryData.OData.Service.Errors;
using Microsoft.AspNetCore.OData.Query.Expressions;
using Microsoft.OData.Edm;
using Microsoft.OData.ModelBuilder;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// ASP.NET Core OData's filter binder, corrected where its output gives wrong answers on our model:
/// <list type="bullet">
/// <item>Type casts: <c>cast($it,'T')/p</c> and <c>T/p</c> bind to <c>($it as T).p</c>, which EF Core translates to the
/// bare column, so a run of another type matches too; and <c>cast($it,'T') ne null</c> is dropped entirely. Here a cast
/// is a discriminator test: the property is null for runs of other types, and a null test on a cast is a type test.</item>
/// <item><c>in</c> over enum members parses names against CLR member names (case-sensitively), so
/// <c>status in ('failed')</c> throws; here names map through the EDM members.</item>
/// <item>Open and complex properties (statistics, blockingError) are stored as JSON text: their members, any/all and
/// $count over blockingError/details bind to the providers' JSON functions (<see cref="JsonMemberBinder"/>).</item>
/// <item>Canonical functions bind to <see cref="ODataFunctions"/> (exact OData semantics on both providers, see
/// <see cref="CanonicalFunctionBinder"/>), date-time and duration arithmetic to <see cref="DurationArithmetic"/>, and date
/// functions compared with literals to ranges of the column (<see cref="DateRangePredicates"/>). The stock binder
/// evaluated some of these in ways EF Core cannot translate, and others with .NET's semantics instead of OData's.</item>
/// </list>
/// </summary>
public sealed class RunFilterBinder : FilterBinder
{
    public override Expression BindBinaryOperatorNode(BinaryOperatorNode binaryOperatorNode, QueryBinderContext context)
    {
        ArgumentNullException.ThrowIfNull(binaryOperatorNode);
        if (binaryOperatorNode.OperatorKind is BinaryOperatorKind.Equal or BinaryOperatorKind.NotEqual
            && (CastTest(binaryOperatorNode.Left, binaryOperatorNode.Right, context) ?? CastTest(binaryOperatorNode.Right, binaryOperatorNode.Left, context)) is { } isOfType)
        {
            return binaryOperatorNode.OperatorKind == BinaryOperatorKind.Equal ? Expression.Not(isOfType) : isOfType;
        }

        if (binaryOperatorNode.OperatorKind == BinaryOperatorKind.Has && binaryOperatorNode.Left.TypeReference?.Definition is IEdmEnumType { IsFlags: false } enumType)
        {
            // The stock binder tests bits, so status has 'completed' also matched completedWithErrors (2 | 1).
            throw QueryNotImplemented.For($"has on {enumType.Name}, which is not a flags enumeration", $"Compare with eq or in, e.g. status eq '{enumType.Members.First().Name}'");
        }

        if (binaryOperatorNode.OperatorKind is BinaryOperatorKind.Divide or BinaryOperatorKind.Modulo && LiteralValues.IsLiteral(binaryOperatorNode.Right)
            && LiteralValues.ValueOf(binaryOperatorNode.Right) is int or long or short or byte or sbyte or decimal && Convert.ToDecimal(LiteralValues.ValueOf(binaryOperatorNode.Right), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            // OData: division or modulo of integers or decimals by zero fails the request (SQLite would answer null, SQL Server an error).
            throw ApiException.BadRequest("invalidQueryOption", "$filter has a division or modulo by zero. Fix the expression.", "$filter");
        }

        if (Json(context).TryBindComparison(binaryOperatorNode) is { } jsonComparison)
        {
            return jsonComparison;
        }

        if (NullTestOfFunction(binaryOperatorNode, context) is { } nullTest)
        {
            return nullTest;
        }

        var dates = new DateRangePredicates(node => Bind(node, context));
        var range = binaryOperatorNode.OperatorKind == BinaryOperatorKind.And
            ? dates.TryRewriteConjunction(binaryOperatorNode, node => Bind(node, context))
            : dates.TryRewrite(binaryOperatorNode);
        if (range is not null)
        {
            return range;
        }

        if (DateAndTimeComparison.Handles(binaryOperatorNode))
        {
            return DateAndTimeComparison.Bind(binaryOperatorNode, node => Bind(node, context));
        }

        if (DecimalComparison.Handles(binaryOperatorNode))
        {
            return DecimalComparison.Bind(binaryOperatorNode, node => Bind(node, context));
        }

        return DurationArithmetic.Handles(binaryOperatorNode)
            ? Durations(context).Bind(binaryOperatorNode)
            : base.BindBinaryOperatorNode(binaryOperatorNode, context);
    }

    public override Expression BindSingleValueFunctionCallNode(SingleValueFunctionCallNode node, QueryBinderContext context)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(context);
        var name = node.Name.ToLowerInvariant();
        var onEntityType = name is "cast" or "isof" && node.Parameters.LastOrDefault() is ConstantNode { Value: string typeName }
            && context.Model.FindType(typeName) is IEdmStructuredType;
        return onEntityType
            ? base.BindSingleValueFunctionCallNode(node, context)
            : Search.NameSubstringIndex.WithHint(node, new CanonicalFunctionBinder(argument => Bind(argument, context), Durations(context)).Bind(node), context.CurrentParameter);
    }

    public override Expression BindInNode(InNode inNode, QueryBinderContext context)
    {
        ArgumentNullException.ThrowIfNull(inNode);
        if (Json(context).TryBindIn(inNode) is { } jsonIn)
        {
            return jsonIn;
        }

        return DateAndTimeComparison.Handles(inNode)
            ? DateAndTimeComparison.BindIn(inNode, node => Bind(node, context))
            : base.BindInNode(inNode, context);
    }

    public override Expression BindConvertNode(ConvertNode convertNode, QueryBinderContext context)
    {
        ArgumentNullException.ThrowIfNull(convertNode);
        return convertNode.TypeReference?.IsDateTimeOffset() == true && LiteralValues.IsLiteral(convertNode.Source)
            && LiteralValues.MidnightUtc(LiteralValues.ValueOf(convertNode.Source)) is { } midnight
            ? QueryParameter.Of(typeof(DateTimeOffset), midnight)
            : base.BindConvertNode(convertNode, context);
    }

    private DurationArithmetic Durations(QueryBinderContext context) => new(node => Bind(node, context));

    /// <summary><c>f(x) eq null</c> / <c>ne null</c> for a canonical function: the stock binder types that null as object.</summary>
    private Expression? NullTestOfFunction(BinaryOperatorNode node, QueryBinderContext context)
    {
        if (node.OperatorKind is not (BinaryOperatorKind.Equal or BinaryOperatorKind.NotEqual))
        {
            return null;
        }

        var (function, other) = IsNull(node.Right) ? (node.Left, node.Right) : (node.Right, node.Left);
        if (!IsNull(other) || Unconverted(function) is not SingleValueFunctionCallNode || DurationArithmetic.IsDuration(function))
        {
            return null;
        }

        var value = Bind(function, context);
        if (value.Type.IsValueType && Nullable.GetUnderlyingType(value.Type) is null)
        {
            value = Expression.Convert(value, typeof(Nullable<>).MakeGenericType(value.Type));
        }

        var test = Expression.Equal(value, Expression.Constant(null, value.Type));
        return node.OperatorKind == BinaryOperatorKind.Equal ? test : Expression.Not(test);
    }

    private static SingleValueNode Unconverted(SingleValueNode node) => node is ConvertNode convert ? Unconverted(convert.Source) : node;

    public override Expression BindPropertyAccessQueryNode(SingleValuePropertyAccessNode propertyAccessNode, QueryBinderContext context)
    {
        ArgumentNullException.ThrowIfNull(propertyAccessNode);
        ArgumentNullException.ThrowIfNull(context);
        if (JsonMemberBinder.IsJsonValue(propertyAccessNode))
        {
            return Json(context).BindValue(propertyAccessNode);
        }

        if (propertyAccessNode.Source is ResourceRangeVariableReferenceNode && Bind(propertyAccessNode.Source, context) is ParameterExpression element
            && element.Type == typeof(JsonElementRow))
        {
            return JsonMemberBinder.ElementMember(element, propertyAccessNode.Property.Name);
        }

        if (Cast(propertyAccessNode.Source, context) is not { } cast)
        {
            return base.BindPropertyAccessQueryNode(propertyAccessNode, context);
        }

        var clrProperty = context.Model.GetAnnotationValue<ClrPropertyInfoAnnotation>(propertyAccessNode.Property).ClrPropertyInfo;
        var access = Expression.Property(Expression.Convert(cast.Source, cast.Target), clrProperty);
        var type = access.Type.IsValueType && Nullable.GetUnderlyingType(access.Type) is null ? typeof(Nullable<>).MakeGenericType(access.Type) : access.Type;
        return Expression.Condition(Expression.TypeIs(cast.Source, cast.Target), Expression.Convert(access, type), Expression.Constant(null, type));
    }

    public override Expression BindCollectionConstantNode(CollectionConstantNode node, QueryBinderContext context)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(context);
        if (!node.ItemType.IsEnum())
        {
            return base.BindCollectionConstantNode(node, context);
        }

        var enumType = (IEdmEnumType)node.ItemType.Definition;
        var clrMembers = context.Model.GetAnnotationValue<ClrEnumMemberAnnotation>(enumType);
        var clrType = context.Model.GetAnnotationValue<ClrTypeAnnotation>(enumType).ClrType;
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(clrType))!;
        foreach (var item in node.Collection)
        {
            var text = item.Value is Microsoft.OData.ODataEnumValue enumValue ? enumValue.Value : item.Value?.ToString();
            var member = enumType.Members.FirstOrDefault(m => m.Name == text || m.Value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) == text)
                ?? throw ApiException.BadRequest("invalidQueryOption",
                    $"$filter is invalid: '{text}' is not a member of {enumType.FullName()}. Members: {string.Join(", ", enumType.Members.Select(m => m.Name))}.",
                    "$filter");
            list.Add(clrMembers.GetClrEnumMember(member));
        }

        return Expression.Constant(list, list.GetType());
    }

    public override Expression BindDynamicPropertyAccessQueryNode(SingleValueOpenPropertyAccessNode openNode, QueryBinderContext context) =>
        JsonMemberBinder.IsJsonValue(openNode) ? Json(context).BindValue(openNode) : base.BindDynamicPropertyAccessQueryNode(openNode, context);

    public override Expression BindAnyNode(AnyNode anyNode, QueryBinderContext context)
    {
        ArgumentNullException.ThrowIfNull(anyNode);
        return Json(context).Collection(anyNode.Source) is { } collection
            ? Lambda(nameof(Queryable.Any), collection, anyNode.Body, context)
            : base.BindAnyNode(anyNode, context);
    }

    public override Expression BindAllNode(AllNode allNode, QueryBinderContext context)
    {
        ArgumentNullException.ThrowIfNull(allNode);
        return Json(context).Collection(allNode.Source) is { } collection
            ? Lambda(nameof(Queryable.All), collection, allNode.Body, context)
            : base.BindAllNode(allNode, context);
    }

    /// <summary><c>blockingError/details/$count</c> and <c>$count($filter=…)</c>: null when there is no blockingError.</summary>
    public override Expression BindCountNode(CountNode node, QueryBinderContext context)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (Json(context).Collection(node.Source) is not { } collection)
        {
            return base.BindCountNode(node, context);
        }

        if (node.SearchClause is not null)
        {
            throw QueryNotImplemented.For("$search inside $count", "Count with $filter instead, e.g. blockingError/details/$count($filter=contains(message,'x'))");
        }

        var count = node.FilterClause is { } filter
            ? Lambda(nameof(Queryable.Count), collection, filter.Expression, context)
            : Expression.Call(typeof(Queryable), nameof(Queryable.Count), [typeof(JsonElementRow)], collection.Elements);
        return Expression.Condition(Expression.Equal(collection.Json, Expression.Constant(null, typeof(string))),
            Expression.Constant(null, typeof(long?)), Expression.Convert(count, typeof(long?)));
    }

    /// <summary>
    /// <c>elements.Any(d => body)</c> (or All, Count) with the range variable d standing for an element of the JSON array.
    /// The body is bound in a context of publicErrorDetail (the binder needs an EDM type); its range variable stands for
    /// the element row (<see cref="ElementRows"/>). A lambda over a missing collection (no blockingError) is false.
    /// </summary>
    private Expression Lambda(string method, (Expression Json, Expression Elements) collection, SingleValueNode body, QueryBinderContext context)
    {
        var inner = new QueryBinderContext(context, context.QuerySettings, typeof(PublicErrorDetail));
        var element = Expression.Parameter(typeof(JsonElementRow), inner.CurrentParameter.Name);
        ElementRows.AddOrUpdate(inner.CurrentParameter, element);
        var predicate = Expression.Lambda(Bind(body, inner), element);
        var call = Expression.Call(typeof(Queryable), method, [typeof(JsonElementRow)], collection.Elements, Expression.Quote(predicate));
        return method == nameof(Queryable.Count) ? call : Expression.AndAlso(Expression.NotEqual(collection.Json, Expression.Constant(null, typeof(string))), call);
    }

    /// <summary>The element row each lambda's placeholder parameter stands for.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ParameterExpression, ParameterExpression> ElementRows = [];

    /// <summary>Inside a lambda or $count over a JSON array the range variable is the array's element; the run is not in reach there.</summary>
    public override Expression BindRangeVariable(RangeVariable rangeVariable, QueryBinderContext context)
    {
        ArgumentNullException.ThrowIfNull(rangeVariable);
        ArgumentNullException.ThrowIfNull(context);
        if (!ElementRows.TryGetValue(context.CurrentParameter, out var element))
        {
            return base.BindRangeVariable(rangeVariable, context);
        }

        return rangeVariable.TypeReference?.Definition is IEdmComplexType
            ? element
            : throw QueryNotImplemented.For("the run ($it) inside a lambda or $count over blockingError/details", "Combine the condition on the run with the lambda using and/or outside it");
    }

    private JsonMemberBinder Json(QueryBinderContext context) => new(node => Bind(node, context), complex => base.BindSingleComplexNode(complex, context));

    /// <summary>For <c>cast(...) eq/ne null</c>: the type test the cast stands for.</summary>
    private Expression? CastTest(SingleValueNode candidate, SingleValueNode other, QueryBinderContext context) =>
        IsNull(other) && Cast(candidate, context) is { } cast ? Expression.TypeIs(cast.Source, cast.Target) : null;

    private static bool IsNull(SingleValueNode node) => node switch
    {
        ConstantNode { Value: null } => true,
        ConvertNode convert => IsNull(convert.Source),
        _ => false,
    };

    private (Expression Source, Type Target)? Cast(QueryNode? node, QueryBinderContext context)
    {
        switch (node)
        {
            case SingleResourceCastNode castNode:
                return ClrTypeOf(context.Model, castNode.StructuredTypeReference.Definition) is { } castType
                    ? (castNode.Source is null ? context.CurrentParameter : Bind(castNode.Source, context), castType)
                    : null;
            case SingleResourceFunctionCallNode { Name: "cast" } call when call.Parameters.Last() is ConstantNode { Value: string typeName }:
                var source = call.Parameters.Count() == 2 ? Bind(call.Parameters.First(), context) : context.CurrentParameter;
                var target = context.Model.FindType(typeName) is { } edmType ? ClrTypeOf(context.Model, edmType) : null;
                return target is null ? null : (source, target);
            default:
                return null;
        }
    }

    private static Type? ClrTypeOf(IEdmModel model, IEdmType type) => model.GetAnnotationValue<ClrTypeAnnotation>(type)?.ClrType;
}
