namespace IndustryData.OData.Service.Idempotency;

public static class IdempotencyServiceCollectionExtensions
{
    /// <summary>Idempotency-Key on creates: its options (section "Idempotency"), in-flight keys and the pruner.</summary>
    public static IHostApplicationBuilder AddIdempotencyKeys(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<IdempotencyOptions>(builder.Configuration.GetSection(IdempotencyOptions.SectionName));
        builder.Services.AddSingleton<InFlightKeys>();
        builder.Services.AddSingleton<IdempotentCreates>();
        builder.Services.AddSingleton<IdempotencyKeyPruner>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<IdempotencyKeyPruner>());
        return builder;
    }
}
