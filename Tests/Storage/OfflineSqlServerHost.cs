using IndustryData.OData.Service.Storage;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IndustryData.OData.Tests.Storage;

/// <summary>The whole service on SQL Server with no server behind it: every query is captured, none is sent.</summary>
public sealed class OfflineSqlServerHost : WebApplicationFactory<Program>
{
    public CapturedSql Captured { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:Provider", nameof(StorageProvider.SqlServer));
        builder.UseSetting("Storage:ApplyMigrationsOnStartup", "false");
        builder.UseSetting("ConnectionStrings:Runs", SqlServerDesignTimeFactory.OfflineConnectionString);
        // Every request ends in the expected OfflineCommandException; logging each as an error would only be noise.
        builder.UseSetting("Logging:LogLevel:Default", "None");
        // Nobody subscribes here: the notification dispatcher's look for subscribers would only add captured commands.
        builder.UseSetting("Subscriptions:IdlePollInterval", "01:00:00");
        builder.UseSetting("AsyncRequests:RunnerEnabled", "false"); // its polls would be captured as if the request sent them
        foreach (var (key, value) in TestTokens.Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => services.ConfigureDbContext<SqlServerRunsDbContext>(db => db.AddInterceptors(Captured)));
    }
}
