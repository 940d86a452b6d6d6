using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IndustryData.OData.Service.Changes;

public static class ChangeTrackingServiceCollectionExtensions
{
    /// <summary>delta() and the pruning of expired tombstones, configured from the "ChangeTracking" section.</summary>
    public static IServiceCollection AddChangeTracking(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ChangeTrackingOptions>(configuration.GetSection(ChangeTrackingOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<ChangeFeed>();
        services.AddScoped<DeltaQuery>();
        services.AddSingleton<TombstonePruner>();
        services.AddHostedService(provider => provider.GetRequiredService<TombstonePruner>());
        return services;
    }
}
