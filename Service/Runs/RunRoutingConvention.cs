using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.AspNetCore.OData.Routing.Conventions;
using Microsoft.AspNetCore.OData.Routing.Template;
using Microsoft.OData.Edm;

namespace IndustryData.OData.Service.Runs;

/// <summary>
/// Routes every OData URL of one run (contract §2) to the key actions of <see cref="RunsController"/>: the key in
/// parentheses, as a segment or named (runs(id='…')), each alone, followed by a type cast, or after a type cast on the
/// set (runs/{cast}('…'), runs/{cast}/…). Get, Put, Patch and Delete take the entity; GetProperty takes each structural
/// property after any of those forms, and /$value after a primitive or enum one; GetValue takes paths into the complex
/// properties (<see cref="RunValuePathTemplate"/>); WriteProperty takes PUT, PATCH and DELETE of the same paths. The actions read the cast, if any,
/// from the OData path. Runs before the stock entity and property conventions, which know only some of the forms.
/// </summary>
public sealed class RunRoutingConvention : IODataControllerActionConvention
{
    public const string GetPropertyAction = "GetProperty";
    public const string GetValueAction = "GetValue";
    public const string WritePropertyAction = "WriteProperty";
    private static readonly string[] EntityActions = ["Get", "Put", "Patch", "Delete"];

    public int Order => 90;

    public bool AppliesToController(ODataControllerActionContext context) =>
        context.Controller.ControllerType == typeof(RunsController) && context.EntitySet is not null;

    public bool AppliesToAction(ODataControllerActionContext context)
    {
        var action = context.Action;
        var isProperty = action.ActionName == GetPropertyAction;
        var isValue = action.ActionName == GetValueAction;
        if (action.ActionName == WritePropertyAction)
        {
            return AddPropertyWrites(context);
        }

        if (!isProperty && !isValue && !EntityActions.Contains(action.ActionName, StringComparer.Ordinal)
            || !action.Parameters.Any(parameter => parameter.ParameterName == RunKeySegmentTemplate.RouteValue))
        {
            return false;
        }

        var method = isProperty || isValue ? "Get" : action.ActionName;
        foreach (var run in RunPaths(context.Model, context.EntitySet))
        {
            if (isValue)
            {
                foreach (var property in context.EntitySet.EntityType.StructuralProperties().Where(property => property.Type.IsComplex()))
                {
                    action.AddSelector(method, context.Prefix, context.Model,
                        new ODataPathTemplate([.. run, new PropertySegmentTemplate(property), new RunValuePathTemplate(property)]), context.Options?.RouteOptions);
                }

                continue;
            }

            if (!isProperty)
            {
                action.AddSelector(method, context.Prefix, context.Model, new ODataPathTemplate(run), context.Options?.RouteOptions);
                continue;
            }

            foreach (var property in context.EntitySet.EntityType.StructuralProperties())
            {
                action.AddSelector(method, context.Prefix, context.Model, new ODataPathTemplate([.. run, new PropertySegmentTemplate(property)]), context.Options?.RouteOptions);
                if (property.Type.IsPrimitive() || property.Type.IsEnum())
                {
                    action.AddSelector(method, context.Prefix, context.Model,
                        new ODataPathTemplate([.. run, new PropertySegmentTemplate(property), new ValueSegmentTemplate(property.Type.Definition)]), context.Options?.RouteOptions);
                }
            }
        }

        return true;
    }

    /// <summary>PUT, PATCH and DELETE of each property (and /$value of a primitive), and of the values inside complex properties.</summary>
    private static bool AddPropertyWrites(ODataControllerActionContext context)
    {
        const string methods = "Put,Patch,Delete";
        var action = context.Action;
        if (!action.Parameters.Any(parameter => parameter.ParameterName == RunKeySegmentTemplate.RouteValue))
        {
            return false;
        }

        foreach (var run in RunPaths(context.Model, context.EntitySet))
        {
            foreach (var property in context.EntitySet.EntityType.StructuralProperties())
            {
                var at = new PropertySegmentTemplate(property);
                action.AddSelector(methods, context.Prefix, context.Model, new ODataPathTemplate([.. run, at]), context.Options?.RouteOptions);
                ODataSegmentTemplate? rest = property.Type.IsPrimitive() || property.Type.IsEnum() ? new ValueSegmentTemplate(property.Type.Definition)
                    : property.Type.IsComplex() ? new RunValuePathTemplate(property)
                    : null;
                if (rest is not null)
                {
                    action.AddSelector(methods, context.Prefix, context.Model, new ODataPathTemplate([.. run, at, rest]), context.Options?.RouteOptions);
                }
            }
        }

        return true;
    }

    /// <summary>runs({key}), then runs({key})/{cast} and runs/{cast}({key}) for each concrete type (each key also as a segment).</summary>
    private static IEnumerable<List<ODataSegmentTemplate>> RunPaths(IEdmModel model, IEdmEntitySet runs)
    {
        var set = new EntitySetSegmentTemplate(runs);
        var runType = runs.EntityType;
        var setType = new EdmCollectionType(new EdmEntityTypeReference(runType, isNullable: false));
        yield return [set, new RunKeySegmentTemplate(runType, runs)];
        foreach (var cast in model.FindAllDerivedTypes(runType).OfType<IEdmEntityType>().Where(type => !type.IsAbstract))
        {
            yield return [set, new RunKeySegmentTemplate(runType, runs), new CastSegmentTemplate(cast, runType, runs)];
            var castSet = new EdmCollectionType(new EdmEntityTypeReference(cast, isNullable: false));
            yield return [set, new CastSegmentTemplate(castSet, setType, runs), new RunKeySegmentTemplate(cast, runs)];
        }
    }
}
