using IndustryData.OData.Service.Errors;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace IndustryData.OData.Service.Security;

/// <summary>401 and 403 in the Graph error shape, saying what was wrong with the token or which permission is missing.</summary>
public static class AuthenticationResponses
{
    public static JwtBearerEvents Events { get; } = new()
    {
        OnChallenge = async context =>
        {
            context.HandleResponse();
            var challenge = context.Error is null
                ? "Bearer realm=\"IndustryData\""
                : $"Bearer realm=\"IndustryData\", error=\"{context.Error}\"" + (string.IsNullOrEmpty(context.ErrorDescription) ? string.Empty : $", error_description=\"{context.ErrorDescription.Replace("\"", "'", StringComparison.Ordinal)}\"");
            var error = new ApiException(StatusCodes.Status401Unauthorized, context.AuthenticateFailure is null ? "missingToken" : "invalidToken", Describe(context))
            {
                Headers = { ["WWW-Authenticate"] = challenge },
            };
            await GraphErrorWriter.WriteAsync(context.HttpContext, error);
        },
        OnForbidden = async context =>
        {
            var needed = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                ? $"{Permissions.ReadAll} or {Permissions.ReadWriteAll}"
                : Permissions.ReadWriteAll;
            await GraphErrorWriter.WriteAsync(context.HttpContext, new ApiException(StatusCodes.Status403Forbidden, "missingPermission",
                $"The access token is valid but does not grant {needed}, which {context.Request.Method} {context.Request.Path} requires. Ask for that permission in the token's scp (delegated) or roles (application) claim."));
        },
    };

    private static string Describe(JwtBearerChallengeContext context)
    {
        if (context.AuthenticateFailure is null)
        {
            return "This request needs an access token: send 'Authorization: Bearer <token>' with IndustryData-Run.Read.All or IndustryData-Run.ReadWrite.All.";
        }

        var reason = string.IsNullOrEmpty(context.ErrorDescription) ? "The token is not a well-formed, signed JWT" : context.ErrorDescription.TrimEnd('.');
        return $"The access token was rejected: {reason}. Get a new token from the configured issuer for this service's audience.";
    }
}
