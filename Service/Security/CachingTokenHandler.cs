using System.Collections.Concurrent;
using IndustryData.OData.Service.Telemetry;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IndustryData.OData.Service.Security;

/// <summary>
/// Validates each distinct bearer token once and reuses the result until the token expires. A client sends the same
/// token with every request; checking its signature, issuer and audience again each time cost a sixth of a by-key
/// read. Only successful validations are kept, never past the token's own expiry (the validator would allow its
/// clock skew on top) nor longer than <see cref="MaxReuse"/>, and every hit gets its own copy of the identity.
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
            if (now < hit.Until)
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
