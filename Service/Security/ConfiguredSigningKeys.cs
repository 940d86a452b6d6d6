using System.Collections;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;

namespace IndustryData.OData.Service.Security;

/// <summary>
/// The signing keys bound from configuration (Authentication:Schemes:Bearer:SigningKeys, what `dotnet user-jwts`
/// writes), read once and read again whenever configuration reloads (user secrets in Development, or any provider
/// that reloads): a key added while the service runs is trusted from then on, a removed key no longer is. Tokens are
/// checked against the keys held in memory, so validating a token never reads configuration.
/// </summary>
public sealed partial class ConfiguredSigningKeys : IEnumerable<SecurityKey>
{
    private readonly IEnumerable<SecurityKey> source;
    private readonly ILogger logger;
    private SecurityKey[] current;

    /// <param name="source">The framework's binding, a lazy sequence that reads configuration each time it is enumerated.</param>
    public ConfiguredSigningKeys(IEnumerable<SecurityKey> source, IConfiguration configuration, ILogger logger)
    {
        this.source = source;
        this.logger = logger;
        current = Read([]);
        // Lives as long as the configuration it follows (the host's): nothing to unsubscribe.
        _ = ChangeToken.OnChange(configuration.GetReloadToken, () => Volatile.Write(ref current, Read(Volatile.Read(ref current))));
    }

    public IEnumerator<SecurityKey> GetEnumerator() => ((IEnumerable<SecurityKey>)Volatile.Read(ref current)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private SecurityKey[] Read(SecurityKey[] previous)
    {
        SecurityKey[] keys;
        try
        {
            keys = source.ToArray();
        }
        catch (Exception exception) when (exception is InvalidOperationException or FormatException or ArgumentException)
        {
            // A file being edited, a key that is not base64, two keys for one issuer: keep what was trusted until it reads.
            LogUnreadable(logger, exception.Message, previous.Length);
            return previous;
        }

        // The same material keeps its key object, so a reload that did not touch the keys leaves cached validations alone.
        var result = keys.Select(key => previous.FirstOrDefault(old => SameMaterial(old, key)) ?? key).ToArray();
        if (previous.Length != result.Length || result.Except(previous).Any())
        {
            LogChanged(logger, result.Length);
        }

        return result;
    }

    private static bool SameMaterial(SecurityKey old, SecurityKey key) =>
        old is SymmetricSecurityKey a && key is SymmetricSecurityKey b && a.Key.AsSpan().SequenceEqual(b.Key);

    [LoggerMessage(Level = LogLevel.Information, Message = "JWT signing keys from configuration changed: {Count} trusted now")]
    private static partial void LogChanged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "JWT signing keys in configuration cannot be read ({Reason}); still trusting the {Count} read before")]
    private static partial void LogUnreadable(ILogger logger, string reason, int count);
}
