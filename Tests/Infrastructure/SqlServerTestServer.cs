using DotNet.Testcontainers.Builders;
using Microsoft.Data.SqlClient;
using Testcontainers.MsSql;

namespace IndustryData.OData.Tests.Infrastructure;

/// <summary>
/// The one SQL Server of a test run: the server named by <see cref="ConnectionStringVariable"/>, else one container
/// started on first use when a Docker engine answers, else none (and the reason). Stopped by <see cref="TestRun"/>.
/// </summary>
public sealed class SqlServerTestServer : IAsyncDisposable
{
    public const string ConnectionStringVariable = "INDUSTRYDATA_TEST_SQLSERVER";

    /// <summary>The image docker-compose.yml runs, so tests and compose meet the same server.</summary>
    public const string Image = "mcr.microsoft.com/mssql/server:2022-CU14-ubuntu-22.04";

    private static readonly Lazy<Task<SqlServerTestServer>> Shared = new(ResolveAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly MsSqlContainer? container;

    private SqlServerTestServer(string? connectionString, string? unavailableBecause, MsSqlContainer? container = null)
    {
        ConnectionString = connectionString;
        UnavailableBecause = unavailableBecause;
        this.container = container;
    }

    /// <summary>Connection string to the server (its database is replaced per test); null when there is none.</summary>
    public string? ConnectionString { get; }

    public string? UnavailableBecause { get; }

    public static Task<SqlServerTestServer> GetAsync() => Shared.Value;

    public static async Task StopSharedAsync()
    {
        if (Shared.IsValueCreated && Shared.Value.IsCompletedSuccessfully)
        {
            await Shared.Value.Result.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (container is not null)
        {
            await container.DisposeAsync();
        }
    }

    private static async Task<SqlServerTestServer> ResolveAsync()
    {
        if (Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } configured)
        {
            await EnsureAnswersAsync(configured);
            return new SqlServerTestServer(configured, null);
        }

        if (await DockerEngine.WhyUnavailableAsync() is { } reason)
        {
            return new SqlServerTestServer(null, reason);
        }

        MsSqlContainer? container = null;
        try
        {
            container = new MsSqlBuilder(Image).Build();
            await container.StartAsync();
        }
        catch (DockerUnavailableException exception)
        {
            if (container is not null)
            {
                await container.DisposeAsync();
            }

            return new SqlServerTestServer(null, $"Testcontainers found no usable Docker engine ({exception.Message})");
        }

        return new SqlServerTestServer(container.GetConnectionString(), null, container);
    }

    /// <summary>A configured server that does not answer fails every SQL Server test at once, instead of each waiting out the service's start-up retries.</summary>
    private static async Task EnsureAnswersAsync(string connectionString)
    {
        var master = new SqlConnectionStringBuilder(connectionString) { InitialCatalog = "master" }.ConnectionString;
        try
        {
            await using var connection = new SqlConnection(master);
            await connection.OpenAsync();
        }
        catch (SqlException exception)
        {
            throw new InvalidOperationException($"{ConnectionStringVariable} is set, but that SQL Server does not answer: {exception.Message}", exception);
        }
    }
}
