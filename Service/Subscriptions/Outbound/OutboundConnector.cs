using System.Net;
using System.Net.Sockets;

namespace IndustryData.OData.Service.Subscriptions.Outbound;

/// <summary>Opens a TCP connection to one address (a seam for tests, which only ever connect to loopback).</summary>
internal delegate ValueTask<Stream> TcpConnect(IPEndPoint endPoint, CancellationToken cancellationToken);

/// <summary>
/// The handler's connect step: resolves the host, classifies every address, and connects only to an allowed one.
/// The address checked is the address connected to, so a name that resolves to a public address when the URL is
/// checked and to a private one when the call is made (DNS rebinding) is still refused.
/// </summary>
internal sealed class OutboundConnector(OutboundOptions options, IOutboundAddressResolver resolver, TcpConnect connect)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await resolver.ResolveAsync(host, cancellationToken);

        var allowed = AllowedAddresses(addresses, context.InitialRequestMessage.RequestUri);
        Exception? lastFailure = null;
        foreach (var address in allowed)
        {
            try
            {
                return await connect(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
            }
            catch (SocketException failure)
            {
                lastFailure = failure;
            }
        }
        throw lastFailure ?? new SocketException((int)SocketError.HostNotFound);
    }

    public static async ValueTask<Stream> ConnectSocketAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private List<IPAddress> AllowedAddresses(IPAddress[] addresses, Uri? url)
    {
        // http is for loopback receivers only; a name that resolves elsewhere does not get plain http either.
        var loopbackOnly = url is null || url.Scheme != Uri.UriSchemeHttps;
        var allowed = new List<IPAddress>(addresses.Length);
        var refused = new SortedSet<AddressClass>();
        foreach (var address in addresses)
        {
            var addressClass = AddressClassifier.Classify(address);
            if (AddressClassifier.IsAllowed(addressClass, options) && (!loopbackOnly || addressClass == AddressClass.Loopback))
                allowed.Add(address);
            else
                refused.Add(addressClass);
        }

        if (allowed.Count == 0 && refused.Count > 0)
        {
            var classes = string.Join(", ", refused.Select(OutboundUrlRules.Describe));
            throw new OutboundAddressRefusedException(loopbackOnly && refused.SetEquals([AddressClass.Public])
                ? "the host resolves to public addresses, which are called over https only"
                : $"the host resolves only to addresses the service does not call: {classes}");
        }
        return allowed;
    }
}
