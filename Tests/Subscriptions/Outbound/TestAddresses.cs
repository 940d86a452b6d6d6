using System.Collections.Concurrent;
using System.Net;
using IndustryData.OData.Service.Subscriptions.Outbound;

namespace IndustryData.OData.Tests.Subscriptions.Outbound;

/// <summary>A resolver that maps test names to addresses and records every look-up; unknown names are not found.</summary>
internal sealed class MappedResolver(Dictionary<string, string[]> names) : IOutboundAddressResolver
{
    public ConcurrentQueue<string> Lookups { get; } = new();

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        Lookups.Enqueue(host);
        return names.TryGetValue(host, out var addresses)
            ? Task.FromResult(addresses.Select(IPAddress.Parse).ToArray())
            : Task.FromException<IPAddress[]>(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound));
    }
}

/// <summary>A resolver that never answers (until cancelled).</summary>
internal sealed class SilentResolver : IOutboundAddressResolver
{
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return [];
    }
}

/// <summary>
/// The connect step the tests use: it records every address the code under test tries, and connects only to
/// loopback — an attempt to go further fails here, before any packet leaves the machine.
/// </summary>
internal sealed class LoopbackOnlyConnections
{
    public ConcurrentQueue<IPEndPoint> Attempts { get; } = new();

    public ValueTask<Stream> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        Attempts.Enqueue(endPoint);
        if (!IPAddress.IsLoopback(endPoint.Address))
            throw new InvalidOperationException($"A test tried to connect beyond loopback, to {endPoint}.");
        return OutboundConnector.ConnectSocketAsync(endPoint, cancellationToken);
    }
}
