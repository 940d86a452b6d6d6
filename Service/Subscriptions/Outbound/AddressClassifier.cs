using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace IndustryData.OData.Service.Subscriptions.Outbound;

/// <summary>
/// Classifies an IP address for outbound calls (IANA special-purpose registries, plus cloud metadata endpoints).
/// IPv6 forms that carry an IPv4 address — IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16 — take the
/// class of the IPv4 address they reach; the deprecated IPv4-compatible ::/96 is never <see cref="AddressClass.Public"/>.
/// </summary>
public static class AddressClassifier
{
    // First match wins: the single addresses come before the ranges that contain them.
    private static readonly AddressRange<uint>[] Ipv4Ranges =
    [
        V4("169.254.169.254/32", AddressClass.CloudMetadata), // AWS, Azure, Google Cloud, Oracle, DigitalOcean, …
        V4("169.254.170.2/32", AddressClass.CloudMetadata),   // AWS ECS task metadata and credentials
        V4("169.254.170.23/32", AddressClass.CloudMetadata),  // AWS EKS Pod Identity credentials
        V4("100.100.100.200/32", AddressClass.CloudMetadata), // Alibaba Cloud
        V4("192.0.0.192/32", AddressClass.CloudMetadata),     // Oracle Cloud (classic)
        V4("0.0.0.0/32", AddressClass.Unspecified),
        V4("255.255.255.255/32", AddressClass.Reserved),      // limited broadcast
        V4("0.0.0.0/8", AddressClass.Reserved),               // "this network"
        V4("10.0.0.0/8", AddressClass.Private),
        V4("100.64.0.0/10", AddressClass.Reserved),           // carrier-grade NAT shared space
        V4("127.0.0.0/8", AddressClass.Loopback),
        V4("169.254.0.0/16", AddressClass.LinkLocal),
        V4("172.16.0.0/12", AddressClass.Private),
        V4("192.0.0.0/24", AddressClass.Reserved),            // IETF protocol assignments
        V4("192.0.2.0/24", AddressClass.Reserved),            // documentation
        V4("192.88.99.0/24", AddressClass.Reserved),          // 6to4 relay anycast (deprecated)
        V4("192.168.0.0/16", AddressClass.Private),
        V4("198.18.0.0/15", AddressClass.Reserved),           // benchmarking
        V4("198.51.100.0/24", AddressClass.Reserved),         // documentation
        V4("203.0.113.0/24", AddressClass.Reserved),          // documentation
        V4("224.0.0.0/4", AddressClass.Multicast),
        V4("240.0.0.0/4", AddressClass.Reserved),             // future use
    ];

    private static readonly AddressRange<UInt128>[] Ipv6Ranges =
    [
        V6("::/128", AddressClass.Unspecified),
        V6("::1/128", AddressClass.Loopback),
        V6("fd00:ec2::254/128", AddressClass.CloudMetadata),  // AWS instance metadata over IPv6
        V6("fd00:ec2::23/128", AddressClass.CloudMetadata),   // AWS EKS Pod Identity over IPv6
        V6("64:ff9b:1::/48", AddressClass.Reserved),          // local-use NAT64: where the IPv4 address sits is not fixed
        V6("100::/64", AddressClass.Reserved),                // discard-only
        V6("2001::/23", AddressClass.Reserved),               // IETF protocol assignments: Teredo, benchmarking, ORCHID, …
        V6("2001:db8::/32", AddressClass.Reserved),           // documentation
        V6("3fff::/20", AddressClass.Reserved),               // documentation
        V6("fc00::/7", AddressClass.Private),                 // unique local
        V6("fe80::/10", AddressClass.LinkLocal),
        V6("fec0::/10", AddressClass.Private),                // site-local (deprecated)
        V6("ff00::/8", AddressClass.Multicast),
        V6("2000::/3", AddressClass.Public),                  // global unicast; anything else is not allocated
    ];

    private static readonly AddressRange<UInt128> Ipv4Mapped = V6("::ffff:0:0/96", AddressClass.Public);
    private static readonly AddressRange<UInt128> Ipv4Compatible = V6("::/96", AddressClass.Reserved);
    private static readonly AddressRange<UInt128> Nat64 = V6("64:ff9b::/96", AddressClass.Public);
    private static readonly AddressRange<UInt128> SixToFour = V6("2002::/16", AddressClass.Public);

    public static AddressClass Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ClassifyIpv4(ToUInt32(address)),
            AddressFamily.InterNetworkV6 => ClassifyIpv6(ToUInt128(address)),
            _ => AddressClass.Reserved,
        };
    }

    /// <summary>Whether a connection to an address of this class is allowed under these options.</summary>
    public static bool IsAllowed(AddressClass addressClass, OutboundOptions options) =>
        addressClass == AddressClass.Public || (addressClass == AddressClass.Loopback && options.AllowLoopback);

    private static AddressClass ClassifyIpv4(uint address)
    {
        foreach (var range in Ipv4Ranges)
        {
            if (range.Contains(address))
                return range.Class;
        }
        return AddressClass.Public;
    }

    private static AddressClass ClassifyIpv6(UInt128 address)
    {
        if (Ipv4Mapped.Contains(address) || Nat64.Contains(address))
            return ClassifyIpv4((uint)address);
        if (SixToFour.Contains(address))
            return ClassifyIpv4((uint)(address >> 80));
        if (address > UInt128.One && Ipv4Compatible.Contains(address))
            return ClassifyIpv4((uint)address) is var embedded && embedded != AddressClass.Public ? embedded : AddressClass.Reserved;

        foreach (var range in Ipv6Ranges)
        {
            if (range.Contains(address))
                return range.Class;
        }
        return AddressClass.Reserved;
    }

    private static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static UInt128 ToUInt128(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    private static AddressRange<uint> V4(string cidr, AddressClass addressClass)
    {
        var (network, length) = ParseCidr(cidr);
        return new AddressRange<uint>(ToUInt32(network), length, addressClass);
    }

    private static AddressRange<UInt128> V6(string cidr, AddressClass addressClass)
    {
        var (network, length) = ParseCidr(cidr);
        return new AddressRange<UInt128>(ToUInt128(network), length, addressClass);
    }

    private static (IPAddress Network, int Length) ParseCidr(string cidr)
    {
        var network = IPNetwork.Parse(cidr);
        return (network.BaseAddress, network.PrefixLength);
    }
}
