using IndustryData.OData.Service.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IndustryData.OData.Tests.Storage;

/// <summary>The service's SQL Server context, configured as the service configures it but never connected.</summary>
public static class OfflineSqlServer
{
    public static SqlServerRunsDbContext CreateContext(params IInterceptor[] interceptors)
    {
        var options = new DbContextOptionsBuilder<SqlServerRunsDbContext>();
        StorageServiceCollectionExtensions.ConfigureSqlServer(options, SqlServerDesignTimeFactory.OfflineConnectionString);
        options.AddInterceptors(interceptors);
        return new SqlServerRunsDbContext(options.Options);
    }
}
