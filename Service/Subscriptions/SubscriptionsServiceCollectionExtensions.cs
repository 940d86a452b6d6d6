using IndustryData.OData.Service.Subscriptions.Outbound;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IndustryData.OData.Service.Subscriptions;

public static class SubscriptionsServiceCollectionExtensions
{
    /// <summary>Change notifications (contract §11): /subscriptions, the validation handshake and the dispatcher.</summary>
    public static IHostApplicationBuilder AddChangeNotifications(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SubscriptionOptions>().Bind(builder.Configuration.GetSection(SubscriptionOptions.Section));
        services.AddOutboundHttp(builder.Configuration, builder.Environment);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<NotificationMetrics>();
        services.AddScoped(provider => new SubscriptionRules(
            provider.GetRequiredService<IOptions<SubscriptionOptions>>().Value, provider.GetRequiredService<IOptions<OutboundOptions>>().Value, provider.GetRequiredService<TimeProvider>()));
        services.AddScoped<SubscriptionFilter>();
        services.AddScoped<NotificationLog>();
        services.AddScoped<ValidationHandshake>();
        services.AddScoped<SubscriptionDelivery>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<NotificationDispatcher>());
        services.AddHealthChecks().AddCheck<NotificationBacklogHealthCheck>("notifications", HealthStatus.Degraded);
        return builder;
    }
}
