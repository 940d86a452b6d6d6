using System.Numerics;

namespace IndustryData.OData.Service.Subscriptions.Outbound;

/// <summary>A CIDR block as a number (uint for IPv4, UInt128 for IPv6) and the class of its addresses.</summary>
internal readonly record struct AddressRange<T>(T Network, int PrefixLength, AddressClass Class)
    where T : IBinaryInteger<T>, IUnsignedNumber<T>
{
    private static readonly int Bits = T.AllBitsSet.GetByteCount() * 8;

    private T Mask => PrefixLength == 0 ? T.Zero : T.AllBitsSet << (Bits - PrefixLength);

    public bool Contains(T address) => (address & Mask) == Network;
}
