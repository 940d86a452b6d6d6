namespace IndustryData.OData.Service.Subscriptions.Outbound;

/// <summary>What an IP address is, as far as calling it from the service is concerned. Only <see cref="Public"/> is
/// always allowed; <see cref="Loopback"/> only when <see cref="OutboundOptions.AllowLoopback"/> says so.</summary>
public enum AddressClass
{
    /// <summary>Global unicast, reachable on the internet.</summary>
    Public,

    /// <summary>127.0.0.0/8 and ::1.</summary>
    Loopback,

    /// <summary>10/8, 172.16/12, 192.168/16; IPv6 unique local fc00::/7 and the deprecated site-local fec0::/10.</summary>
    Private,

    /// <summary>169.254/16 and fe80::/10 (other than the metadata addresses in them).</summary>
    LinkLocal,

    /// <summary>Cloud instance metadata endpoints (169.254.169.254, fd00:ec2::254, 100.100.100.200, …): they hand out
    /// credentials, so they are named apart from the ranges they sit in.</summary>
    CloudMetadata,

    /// <summary>0.0.0.0 and ::, which connect to this machine on most systems.</summary>
    Unspecified,

    /// <summary>224/4 and ff00::/8.</summary>
    Multicast,

    /// <summary>Special-purpose and unallocated space that no receiver legitimately uses: 0/8, CGNAT 100.64/10,
    /// 192.0.0/24, documentation, benchmarking, the 6to4 relay anycast, 240/4, broadcast; IPv6 discard-only, IETF
    /// protocol assignments (Teredo, ORCHID, …), documentation, local-use NAT64, and everything outside 2000::/3.</summary>
    Reserved,
}
