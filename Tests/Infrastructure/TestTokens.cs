using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IndustryData.OData.Tests.Infrastructure;

/// <summary>Tokens signed with the test issuer's key, valid or broken in exactly one way.</summary>
public static class TestTokens
{
    public const string Issuer = "https://login.industrydata.test/tenant";
    public const string Audience = "api://industrydata-odata-tests";
    public const string ReadAll = "IndustryData-Run.Read.All";
    public const string ReadWriteAll = "IndustryData-Run.ReadWrite.All";

    public static readonly string SigningKey = Convert.ToBase64String("industrydata-test-signing-key-0123456789abcdef"u8.ToArray());

    /// <summary>The JWT bearer configuration the service reads (what `dotnet user-jwts` writes for Development).</summary>
    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Authentication:Schemes:Bearer:ValidIssuer"] = Issuer,
        ["Authentication:Schemes:Bearer:ValidAudiences:0"] = Audience,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = Issuer,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = SigningKey,
    };

    public static string Delegated(string scopes, string subject = "user-1") => Create(new Claim("scp", scopes), subject);

    public static string Application(string role, string subject = "app-1") => Create(new Claim("roles", role), subject);

    public static string Write(string subject = "user-1") => Delegated(ReadWriteAll, subject);

    public static string Read(string subject = "user-1") => Delegated(ReadAll, subject);

    public static string Expired() => Create(new Claim("scp", ReadWriteAll), "user-1", notBefore: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddHours(-1));

    public static string Expiring(DateTime expires) => Create(new Claim("scp", ReadWriteAll), "user-1", notBefore: DateTime.UtcNow.AddMinutes(-1), expires: expires);

    public static string NotYetValid() => Create(new Claim("scp", ReadWriteAll), "user-1", notBefore: DateTime.UtcNow.AddHours(1), expires: DateTime.UtcNow.AddHours(2));

    public static string WrongAudience() => Create(new Claim("scp", ReadWriteAll), "user-1", audience: "api://someone-else");

    public static string WrongIssuer() => Create(new Claim("scp", ReadWriteAll), "user-1", issuer: "https://evil.example/");

    public static string BadSignature() => Create(new Claim("scp", ReadWriteAll), "user-1",
        key: Convert.ToBase64String("another-key-that-the-service-does-not-know-42"u8.ToArray()));

    /// <summary>A read-write token from any issuer and audience signed with any key (base64), e.g. as `dotnet user-jwts` mints them.</summary>
    public static string SignedWith(string key, string issuer = Issuer, string audience = Audience) =>
        Create(new Claim("scp", ReadWriteAll), "user-1", audience: audience, issuer: issuer, key: key);

    private static string Create(Claim permission, string subject, DateTime? notBefore = null, DateTime? expires = null,
        string audience = Audience, string issuer = Issuer, string? key = null)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), permission]),
            NotBefore = notBefore ?? DateTime.UtcNow.AddMinutes(-1),
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            IssuedAt = notBefore ?? DateTime.UtcNow.AddMinutes(-1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(key ?? SigningKey)), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
