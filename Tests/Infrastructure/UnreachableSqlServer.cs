using System.Net;
using System.Net.Sockets;
using Microsoft.Data.SqlClient;

namespace IndustryData.OData.Tests.Infrastructure;

/// <summary>A SQL Server connection string for a local port nobody listens on: connecting fails fast, offline.</summary>
public sealed class UnreachableSqlServer : TestDatabase
{
    public override TestProvider Provider => TestProvider.SqlServer;

    public override string ConnectionString { get; } = new SqlConnectionStringBuilder
    {
        DataSource = $"127.0.0.1,{FreePort()}",
        InitialCatalog = "IndustryData",
        UserID = "sa",
        Password = "Unused-0",
        TrustServerCertificate = true,
        ConnectTimeout = 1,
        ConnectRetryCount = 0,
    }.ConnectionString;

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
