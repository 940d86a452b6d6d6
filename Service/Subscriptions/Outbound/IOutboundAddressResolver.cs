using System.Net;

namespace IndustryData.OData.Service.Subscriptions.Outbound;

/// <summary>Turns a receiver's host name into the addresses the service may connect to (after classifying them).</summary>
public interface IOutboundAddressResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The system's resolver (DNS, hosts file).</summary>
public sealed class DnsOutboundAddressResolver : IOutboundAddressResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}
