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

        // A key written as a segment (runs/{id}) is the id itself, whatever it looks like; in parentheses it is one
        // string literal or parameter alias, optionally named. The stock parser would read "'a',b='c'" as 'a'.
        if (!IsKeyAsSegment(context) && context.RouteValues.TryGetValue(RouteValue, out var value) && value is string literal)
        {
            literal = literal.StartsWith(NamedPrefix, StringComparison.Ordinal) ? literal[NamedPrefix.Length..] : literal;
            if (!IsStringLiteral(literal) && !literal.StartsWith('@'))
            {
                return false;
            }

            context.RouteValues[RouteValue] = literal;
        }

        return base.TryTranslate(context);
    }

    private static bool IsStringLiteral(string text) =>
        text.Length >= 2 && text[0] == '\'' && text[^1] == '\'' && !text[1..^1].Replace("''", string.Empty, StringComparison.Ordinal).Contains('\'', StringComparison.Ordinal);

    private static bool IsKeyAsSegment(ODataTemplateTranslateContext context) =>
        context.Endpoint is RouteEndpoint endpoint && endpoint.RoutePattern.RawText?.Contains("/{" + RouteValue + "}", StringComparison.Ordinal) == true;
}
