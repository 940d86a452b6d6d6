using System.Security.Claims;
using IndustryData.OData.Service.Security;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace IndustryData.OData.Tests.Security;

/// <summary>The validated-token cache must never accept what the validator would refuse, nor share identities.</summary>
public sealed class CachingTokenHandlerTests
{
    private static TokenValidationParameters Parameters() => new()
    {
        ValidIssuer = TestTokens.Issuer,
        ValidAudience = TestTokens.Audience,
        IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(TestTokens.SigningKey)),
        ClockSkew = TimeSpan.Zero,
    };

    [Test]
    public async Task A_token_accepted_while_valid_is_refused_once_it_has_expired()
    {
        var handler = new CachingTokenHandler(TimeProvider.System);
        var expires = DateTime.UtcNow.AddSeconds(2);
        var token = TestTokens.Expiring(expires);

        Assert.That((await handler.ValidateTokenAsync(token, Parameters())).IsValid, Is.True);
        Assert.That((await handler.ValidateTokenAsync(token, Parameters())).IsValid, Is.True, "a cached hit");

        await Task.Delay(expires.AddSeconds(1.2) - DateTime.UtcNow);
        var late = await handler.ValidateTokenAsync(token, Parameters());
        Assert.That(late.IsValid, Is.False);
        Assert.That(late.Exception, Is.InstanceOf<SecurityTokenExpiredException>());
    }

    [Test]
    public async Task A_cached_result_is_not_used_past_the_expiry_even_if_the_clock_jumps()
    {
        var clock = new SteppingClock();
        var handler = new CachingTokenHandler(clock);
        var token = TestTokens.Expiring(DateTime.UtcNow.AddMinutes(10));
        Assert.That((await handler.ValidateTokenAsync(token, Parameters())).IsValid, Is.True);

        // Past the token's expiry by the handler's clock, the cache misses; the validator (on the real clock) decides.
        clock.Offset = TimeSpan.FromMinutes(11);
        var parameters = Parameters();
        parameters.LifetimeValidator = (_, expires, _, _) => expires > DateTime.UtcNow + clock.Offset;
        Assert.That((await handler.ValidateTokenAsync(token, parameters)).IsValid, Is.False);
    }

    [Test]
    public async Task A_validation_is_reused_for_minutes_at_most_then_the_token_is_validated_again()
    {
        var clock = new SteppingClock();
        var handler = new CachingTokenHandler(clock);
        var token = TestTokens.Expiring(DateTime.UtcNow.AddHours(1));
        Assert.That((await handler.ValidateTokenAsync(token, Parameters())).IsValid, Is.True);

        // Parameters that would refuse the token (say, the trusted issuer changed) apply once the reuse window is over.
        var changed = Parameters();
        changed.ValidIssuer = "https://another-issuer.test/";
        clock.Offset = CachingTokenHandler.MaxReuse - TimeSpan.FromSeconds(5);
        Assert.That((await handler.ValidateTokenAsync(token, changed)).IsValid, Is.True, "inside the window: the earlier validation");
        clock.Offset = CachingTokenHandler.MaxReuse + TimeSpan.FromSeconds(5);
        Assert.That((await handler.ValidateTokenAsync(token, changed)).IsValid, Is.False, "after it: validated again");
    }

    [Test]
    public async Task A_cached_token_is_refused_as_soon_as_its_signing_key_is_withdrawn()
    {
        var handler = new CachingTokenHandler(TimeProvider.System);
        var token = TestTokens.Write();
        var trusted = Parameters();
        Assert.That((await handler.ValidateTokenAsync(token, trusted)).IsValid, Is.True);
        Assert.That((await handler.ValidateTokenAsync(token, Parameters())).IsValid, Is.True, "the same key material, read again: still trusted");

        var withdrawn = Parameters();
        withdrawn.IssuerSigningKey = null;
        withdrawn.IssuerSigningKeys = [new SymmetricSecurityKey(new byte[32])];
        var refused = await handler.ValidateTokenAsync(token, withdrawn);

        Assert.That(refused.IsValid, Is.False);
        Assert.That(refused.Exception, Is.InstanceOf<SecurityTokenSignatureKeyNotFoundException>());
    }

    [Test]
    public async Task Refused_tokens_stay_refused_and_are_not_remembered()
    {
        var handler = new CachingTokenHandler(TimeProvider.System);
        foreach (var token in new[] { TestTokens.BadSignature(), TestTokens.WrongAudience(), TestTokens.WrongIssuer(), TestTokens.Expired() })
        {
            Assert.That((await handler.ValidateTokenAsync(token, Parameters())).IsValid, Is.False);
            Assert.That((await handler.ValidateTokenAsync(token, Parameters())).IsValid, Is.False);
        }
    }

    [Test]
    public async Task Every_hit_gets_its_own_identity()
    {
        var handler = new CachingTokenHandler(TimeProvider.System);
        var token = TestTokens.Write();
        var first = await handler.ValidateTokenAsync(token, Parameters());
        first.ClaimsIdentity.AddClaim(new Claim("roles", "IndustryData-Run.ReadWrite.All"));

        var second = await handler.ValidateTokenAsync(token, Parameters());
        Assert.Multiple(() =>
        {
            Assert.That(second.IsValid, Is.True);
            Assert.That(second.ClaimsIdentity, Is.Not.SameAs(first.ClaimsIdentity));
            Assert.That(second.ClaimsIdentity.FindFirst("roles"), Is.Null, "a claim added by one request must not appear in another");
            Assert.That(second.ClaimsIdentity.FindFirst("scp")?.Value, Is.EqualTo(TestTokens.ReadWriteAll));
        });
    }

    private sealed class SteppingClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}
