using Microsoft.AspNetCore.Mvc.ActionConstraints;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Routing;

namespace IndustryData.OData.Service.Protocol;

/// <summary>
/// HEAD wherever GET works (RFC 9110 §9.3.2): every action route that answers GET also answers HEAD, running the same
/// code, so status and headers are GET's; the server sends no body for HEAD (Kestrel drops what is written).
/// Routes built outside MVC do the same on their own ($metadata, /health).
/// </summary>
public sealed class HeadWhereGetWorks : IApplicationModelProvider
{
    // ASP.NET Core OData builds its routes in OnProvidersExecuted at order 100; those callbacks run in reverse
    // order, so a lower order comes after it and sees every route.
    public int Order => 0;

    public void OnProvidersExecuting(ApplicationModelProviderContext context)
    {
    }

    public void OnProvidersExecuted(ApplicationModelProviderContext context)
    {
        foreach (var selector in context.Result.Controllers.SelectMany(controller => controller.Actions).SelectMany(action => action.Selectors))
        {
            for (var i = 0; i < selector.EndpointMetadata.Count; i++)
            {
                if (selector.EndpointMetadata[i] is HttpMethodMetadata metadata && WithHead(metadata.HttpMethods) is { } methods)
                {
                    selector.EndpointMetadata[i] = new HttpMethodMetadata(methods, metadata.AcceptCorsPreflight);
                }
            }

            for (var i = 0; i < selector.ActionConstraints.Count; i++)
            {
                if (selector.ActionConstraints[i] is HttpMethodActionConstraint constraint && WithHead(constraint.HttpMethods) is { } methods)
                {
                    selector.ActionConstraints[i] = new HttpMethodActionConstraint(methods);
                }
            }
        }
    }

    private static string[]? WithHead(IEnumerable<string> methods)
    {
        var list = methods.ToList();
        return list.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase) && !list.Contains(HttpMethods.Head, StringComparer.OrdinalIgnoreCase)
            ? [.. list, HttpMethods.Head]
            : null;
    }
}
