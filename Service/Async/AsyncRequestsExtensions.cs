namespace IndustryData.OData.Service.Async;

public static class AsyncRequestsExtensions
{
    /// <summary>Asynchronous requests: settings (section "AsyncRequests") and the runner on every instance.</summary>
    public static IHostApplicationBuilder AddAsyncRequests(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AsyncOptions>().Bind(builder.Configuration.GetSection(AsyncOptions.Section));
        builder.Services.AddSingleton<AsyncOperationRunner>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<AsyncOperationRunner>());
        return builder;
    }
}
