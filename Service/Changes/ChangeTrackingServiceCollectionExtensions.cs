namespace IndustryData.OData.Service.Changes;

public static class ChangeTrackingServiceCollectionExtensions
{
    /// <summary>delta() and the pruning of expired tombstones, configured from the "ChangeTracking" section.</summary>
    public static IServiceCollection AddChangeTracking(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ChangeTrackingOptions>(configuration.GetSection(ChangeTrackingOptions.SectionName));
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<ChangeFeed>();
        services.AddScoped<DeltaQuery>();
        return services;
    }
}
