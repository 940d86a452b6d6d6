using System.Security.Claims;

namespace IndustryData.OData.Service.Security;

/// <summary>Who a token speaks for, the way Graph identifies callers.</summary>
public static class Callers
{
    /// <summary>The token's subject, object id or application id, or null when it carries none of them.</summary>
    public static string? Id(ClaimsPrincipal user) =>
        user.FindFirst("sub")?.Value ?? user.FindFirst("oid")?.Value ?? user.FindFirst("appid")?.Value ?? user.FindFirst("azp")?.Value;

    /// <summary>The caller qualified by the token's issuer, so equal subjects from two identity providers stay apart.</summary>
    public static string Qualified(ClaimsPrincipal user) => $"{user.FindFirst("iss")?.Value}\n{Id(user)}";
}
