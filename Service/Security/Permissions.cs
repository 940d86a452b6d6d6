using System.Security.Claims;

namespace IndustryData.OData.Service.Security;

/// <summary>
/// Graph-style permissions: delegated ones arrive space-separated in <c>scp</c>, application ones as <c>roles</c>.
/// ReadWrite.All includes Read.All.
/// </summary>
public static class Permissions
{
    public const string ReadAll = "IndustryData-Run.Read.All";
    public const string ReadWriteAll = "IndustryData-Run.ReadWrite.All";

    /// <summary>Authorization policy names.</summary>
    public const string ReadPolicy = "Runs.Read";
    public const string WritePolicy = "Runs.Write";

    public static bool CanRead(ClaimsPrincipal user) => Granted(user).Overlaps([ReadAll, ReadWriteAll]);

    public static bool CanWrite(ClaimsPrincipal user) => Granted(user).Contains(ReadWriteAll);

    private static HashSet<string> Granted(ClaimsPrincipal user)
    {
        var granted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var claim in user.Claims)
        {
            if (claim.Type == "scp")
            {
                granted.UnionWith(claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
            else if (claim.Type == "roles")
            {
                granted.Add(claim.Value);
            }
        }

        return granted;
    }
}
