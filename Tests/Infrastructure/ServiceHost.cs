using IndustryData.OData.Service.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IndustryData.OData.Tests.Infrastructure;

/// <summary>The service in-process (WebApplicationFactory) on a given test database, with a pinned environment.</summary>
public sealed class ServiceHost(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null, Action<ILoggingBuilder>? logging = null,
    Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    public TestDatabase Database { get; } = database;

    public async Task<int> CountRunsAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RunsDbContext>().Runs.CountAsync();
    }

    public async Task<T> WithDbAsync<T>(Func<RunsDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<RunsDbContext>());
    }

    /// <summary>A client that sends a token with IndustryData-Run.ReadWrite.All, like a typical sync job.</summary>
    public HttpClient CreateAuthorizedClient(string? token = null)
    {
        var client = CreateGuardedClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token ?? TestTokens.Write());
        return client;
    }

    /// <summary>An anonymous client; like every test client, it fails the test on a leaked stack trace.</summary>
    public HttpClient CreateGuardedClient() => CreateDefaultClient(new StackTraceGuard());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:Provider", Database.Provider.ToString());
        builder.UseSetting("ConnectionStrings:Runs", Database.ConnectionString);
        foreach (var (key, value) in TestTokens.Settings.Concat(settings ?? new Dictionary<string, string?>()))
        {
            builder.UseSetting(key, value);
        }

        if (logging is not null)
        {
            builder.ConfigureLogging(logging);
        }

        if (services is not null)
        {
            builder.ConfigureServices(services);
        }
    }
}
