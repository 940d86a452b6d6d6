using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Protocol;
using IndustryData.OData.Service.Serialization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Extensions;

namespace IndustryData.OData.Service.Runs;

/// <summary>Status codes and headers of single-run responses (contract §3, §5).</summary>
public static class RunResponses
{
    public static IActionResult Read(ControllerBase controller, RunOutput output, Run run)
    {
        controller.Response.Headers.ETag = RunETags.For(run);
        return RunETags.IsNotModified(controller.Request, run)
            ? new StatusCodeResult(StatusCodes.Status304NotModified)
            : output.Entity(controller.Request, run, StatusCodes.Status200OK);
    }

    /// <summary>201 with the run, or 204 when the client prefers return=minimal; Location and OData-EntityId either way.</summary>
    public static IActionResult Created(ControllerBase controller, RunOutput output, Run run)
    {
        var response = controller.Response;
        var link = EntityLink(controller.Request, run);
        response.Headers.Location = link;
        response.Headers["OData-EntityId"] = link;
        response.Headers.ETag = RunETags.For(run);
        if (Preferences.ReturnMinimal(controller.Request))
        {
            Preferences.Applied(controller.HttpContext, "return=minimal");
            return new NoContentResult();
        }

        return output.Entity(controller.Request, run, StatusCodes.Status201Created);
    }

    /// <summary>
    /// 204 after PATCH/PUT (OData's default), or 200 with the run when the client prefers return=representation or
    /// sends $select without return=minimal (<see cref="RunWriteOptions"/>).
    /// </summary>
    public static IActionResult Updated(ControllerBase controller, RunOutput output, Run run)
    {
        var request = controller.Request;
        controller.Response.Headers.ETag = RunETags.For(run);
        if (RunWriteOptions.WantsRepresentation(request))
        {
            if (Preferences.ReturnRepresentation(request))
            {
                Preferences.Applied(controller.HttpContext, "return=representation");
            }

            return output.Entity(request, run, StatusCodes.Status200OK);
        }

        if (Preferences.ReturnMinimal(request))
        {
            Preferences.Applied(controller.HttpContext, "return=minimal");
        }

        return new NoContentResult();
    }

    public static string EntityLink(HttpRequest request, Run run) =>
        $"{ServiceRoot(request)}/runs('{Uri.EscapeDataString(run.Id.Replace("'", "''", StringComparison.Ordinal))}')";

    /// <summary>The request's service root (scheme, host, path base, route prefix), without a trailing slash.</summary>
    public static string ServiceRoot(HttpRequest request) => request.CreateODataLink().TrimEnd('/');
}
