using System.Reflection;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.UserSecrets;
using Microsoft.Extensions.FileProviders;

namespace IndustryData.OData.Service.Security;

/// <summary>
/// In Development `dotnet user-jwts` writes the signing key to the user secrets file. .NET watches that file only if
/// its folder existed when the service started; otherwise it watches a "secrets.json" in the content root instead
/// (dotnet/runtime, UserSecretsConfigurationExtensions.AddSecretsFile), so on a fresh machine the first key minted
/// while the service runs would never be seen. Point the user secrets source at the real folder, creating it.
/// </summary>
public static class UserSecretsWatch
{
    private const string SecretsFileName = "secrets.json";

    public static void WatchUserSecretsFolder(this IHostApplicationBuilder builder)
    {
        var id = typeof(UserSecretsWatch).Assembly.GetCustomAttribute<UserSecretsIdAttribute>()?.UserSecretsId;
        if (!builder.Environment.IsDevelopment() || id is null)
        {
            return;
        }

        var folder = Path.GetDirectoryName(PathHelper.GetSecretsPathFromSecretsId(id))!;
        var sources = builder.Configuration.Sources;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource { Path: SecretsFileName } secrets && !Watches(secrets, folder))
            {
                Directory.CreateDirectory(folder);
                sources[i] = new JsonConfigurationSource
                {
                    FileProvider = new PhysicalFileProvider(folder),
                    Path = SecretsFileName,
                    Optional = true,
                    ReloadOnChange = secrets.ReloadOnChange,
                };
            }
        }
    }

    private static bool Watches(JsonConfigurationSource source, string folder) =>
        source.FileProvider is PhysicalFileProvider provider
        && Path.TrimEndingDirectorySeparator(provider.Root) == Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
}
