using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IndustryData.OData.Service.Subscriptions.Outbound;

public static class OutboundServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="OutboundHttp"/> as a singleton, its options (section "Subscriptions:Outbound"; AllowLoopback
    /// defaults to true in Development) and the system resolver, unless an <see cref="IOutboundAddressResolver"/> is
    /// registered already.
    /// </summary>
    public static IServiceCollection AddOutboundHttp(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        services.AddOptions<OutboundOptions>()
            .Configure(options => options.AllowLoopback = environment.IsDevelopment())
            .Bind(configuration.GetSection(OutboundOptions.Section))
            .Validate(options => options.ConnectTimeout > TimeSpan.Zero && options.ResponseTimeout > TimeSpan.Zero,
                $"{OutboundOptions.Section}: ConnectTimeout and ResponseTimeout must be positive.")
            .Validate(options => options.MaxResponseBytes >= 0, $"{OutboundOptions.Section}: MaxResponseBytes must not be negative.")
            .ValidateOnStart();
        services.TryAddSingleton<IOutboundAddressResolver, DnsOutboundAddressResolver>();
        services.TryAddSingleton<OutboundHttp>();
        return services;
    }
}
