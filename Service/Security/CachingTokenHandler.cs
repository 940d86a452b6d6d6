using System.Collections.Concurrent;
using IndustryData.OData.Service.Telemetry;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IndustryData.OData.Service.Security;

/// <summary>
/// Validates each distinct bearer token once and reuses the result until the token expires. A client sends the same
/// token with every request; checking its signature, issuer and audience again each time cost a sixth of a by-key
/// read. Only successful validations are kept, never past the token's own expiry (the validator would allow its
/// clock skew on top) nor longer than <see cref="MaxReuse"/>, nor once the key that signed it is no longer trusted,
/// and every hit gets its own copy of the identity.
/// </summary>
public sealed class CachingTokenHandler(TimeProvider clock, ServiceMetrics? metrics = null) : JsonWebTokenHandler
{
    public const int MaxEntries = 10_000;

    /// <summary>How long one validation is reused at most, so a signing key the identity provider withdraws stops being honoured within minutes even for tokens already seen.</summary>
    public static readonly TimeSpan MaxReuse = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Validated> cache = new(StringComparer.Ordinal);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (cache.TryGetValue(token, out var hit))
        {
            if (now < hit.Until && IsStillTrusted(hit.Result.SecurityToken.SigningKey, validationParameters))
            {
                metrics?.TokenCacheLookup(hit: true);
                return Copy(hit.Result);
            }

            cache.TryRemove(token, out _);
        }

        metrics?.TokenCacheLookup(hit: false);
        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { ValidTo: var expires } && expires > now)
        {
            MakeRoom(now);
            cache[token] = new Validated(result, expires < now + MaxReuse ? expires : now + MaxReuse);
            return Copy(result);
        }

        return result;
    }

    /// <summary>
    /// Whether the key that signed a cached token is still one the service trusts: keys from configuration follow its
    /// reloads (<see cref="ConfiguredSigningKeys"/>) and an identity provider's keys its metadata, so a removed key stops
    /// being honoured at once, not only when the cached validation runs out.
    /// </summary>
    private static bool IsStillTrusted(SecurityKey? signingKey, TokenValidationParameters parameters)
    {
        if (signingKey is null)
        {
            return false;
        }

        if (IsSameKey(parameters.IssuerSigningKey, signingKey))
        {
            return true;
        }

        if (parameters.IssuerSigningKeys is { } keys)
        {
            foreach (var key in keys)
            {
                if (IsSameKey(key, signingKey))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsSameKey(SecurityKey? key, SecurityKey signingKey) =>
        ReferenceEquals(key, signingKey)
        || (key is SymmetricSecurityKey symmetric && signingKey is SymmetricSecurityKey signing && symmetric.Key.AsSpan().SequenceEqual(signing.Key));

    private void MakeRoom(DateTime now)
    {
        if (cache.Count < MaxEntries)
        {
            return;
        }

        foreach (var (token, entry) in cache)
        {
            if (entry.Until <= now)
            {
                cache.TryRemove(token, out _);
            }
        }

        if (cache.Count >= MaxEntries)
        {
            cache.Clear();
        }
    }

    private static TokenValidationResult Copy(TokenValidationResult result) => new()
    {
        IsValid = true,
        SecurityToken = result.SecurityToken,
        ClaimsIdentity = result.ClaimsIdentity.Clone(),
        Issuer = result.Issuer,
        TokenType = result.TokenType,
    };

    private sealed record Validated(TokenValidationResult Result, DateTime Until);
}
