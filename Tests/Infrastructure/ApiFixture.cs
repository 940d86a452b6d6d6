using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IndustryData.OData.Tests.Infrastructure;

/// <summary>
/// Base for HTTP-level suites: a fresh database and service for every test, so tests never see each other's data.
/// Suites that take a <see cref="TestProvider"/> run once per provider.
/// </summary>
public abstract class ApiFixture(TestProvider provider = TestProvider.Sqlite)
{
    protected TestProvider Provider { get; } = provider;

    protected ServiceHost Host { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    protected virtual void ConfigureLogging(ILoggingBuilder logging)
    {
    }

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    [SetUp]
    public async Task StartServiceAsync()
    {
        var database = await TestDatabase.CreateAsync(Provider);
        Host = new ServiceHost(database, Settings, ConfigureLogging, ConfigureServices);
        Client = Host.CreateAuthorizedClient();
        Client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    [TearDown]
    public async Task StopServiceAsync()
    {
        Client?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
            await Host.Database.DisposeAsync();
        }
    }
}
