using IndustryData.OData.Service.Telemetry;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace IndustryData.OData.Service.Security;

public static class SecurityExtensions
{
    /// <summary>
    /// JWT bearer tokens validated against configuration (Authentication:Schemes:Bearer — Authority or ValidIssuer,
    /// ValidAudiences, SigningKeys; `dotnet user-jwts` writes exactly these for Development), and the two permissions.
    /// There is no switch that turns this off.
    /// </summary>
    public static IHostApplicationBuilder AddGraphAuthorization(this IHostApplicationBuilder builder)
    {
        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                // Keep Graph's claim names (scp, roles, oid, appid) instead of the legacy SOAP URIs.
                options.MapInboundClaims = false;
                options.SaveToken = false; // nothing reads the raw token back from the authentication properties
                options.TokenValidationParameters.NameClaimType = "sub";
                options.TokenValidationParameters.RoleClaimType = "roles";
                options.Events = AuthenticationResponses.Events;
            });
        builder.WatchUserSecretsFolder();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<ServiceMetrics>((options, metrics) =>
        {
            options.TokenHandlers.Clear();
            options.TokenHandlers.Add(new CachingTokenHandler(TimeProvider.System, metrics));
        });
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .PostConfigure<IConfiguration, ILoggerFactory>((options, configuration, loggers) =>
            {
                // Keys bound from configuration arrive as a lazy sequence that re-reads configuration and builds new
                // key objects (and signature providers) for every token validated: hold them, and read them again
                // only when configuration reloads.
                if (options.TokenValidationParameters.IssuerSigningKeys is { } keys and not ConfiguredSigningKeys)
                {
                    options.TokenValidationParameters.IssuerSigningKeys =
                        new ConfiguredSigningKeys(keys, configuration, loggers.CreateLogger<ConfiguredSigningKeys>());
                }
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Permissions.ReadPolicy, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => Permissions.CanRead(context.User)))
            .AddPolicy(Permissions.WritePolicy, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => Permissions.CanWrite(context.User)));
        return builder;
    }
}
