using Microsoft.AspNetCore.OData.Routing.Template;
using Microsoft.AspNetCore.Routing;
using Microsoft.OData.Edm;

namespace IndustryData.OData.Service.Runs;

/// <summary>
/// The key of a run in the route: runs('{id}') and runs/{id} as the stock template reads them, and also the named
/// form runs(id='{id}') (OData URL Conventions §4.3.1), which SAP Cloud SDK's generated clients send and the stock
/// template reads as the literal "id='…'" and rejects.
/// </summary>
public sealed class RunKeySegmentTemplate(IEdmEntityType entityType, IEdmEntitySet runs)
    : KeySegmentTemplate(new Dictionary<string, string> { [KeyName] = "{" + RouteValue + "}" }, entityType, runs)
{
    public const string RouteValue = "key";
    private const string KeyName = "id";
    private const string NamedPrefix = KeyName + "=";

    public override bool TryTranslate(ODataTemplateTranslateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Only in parentheses: a key written as a segment (runs/{id}) is the id itself, whatever it looks like.
        if (context.RouteValues.TryGetValue(RouteValue, out var value) && value is string literal
            && literal.StartsWith(NamedPrefix, StringComparison.Ordinal) && !IsKeyAsSegment(context))
        {
            context.RouteValues[RouteValue] = literal[NamedPrefix.Length..];
        }

        return base.TryTranslate(context);
    }

    private static bool IsKeyAsSegment(ODataTemplateTranslateContext context) =>
        context.Endpoint is RouteEndpoint endpoint && endpoint.RoutePattern.RawText?.Contains("/{" + RouteValue + "}", StringComparison.Ordinal) == true;
}
