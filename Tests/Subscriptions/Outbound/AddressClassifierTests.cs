using System.Net;
using IndustryData.OData.Service.Subscriptions.Outbound;

namespace IndustryData.OData.Tests.Subscriptions.Outbound;

/// <summary>The address rules on the classifier itself: nothing here opens a connection.</summary>
public sealed class AddressClassifierTests
{
    [TestCase("8.8.8.8")]
    [TestCase("1.1.1.1")]
    [TestCase("93.184.215.14")]
    [TestCase("172.15.255.255")]
    [TestCase("172.32.0.0")]
    [TestCase("192.167.255.255")]
    [TestCase("100.63.255.255")]
    [TestCase("100.128.0.0")]
    [TestCase("169.253.255.255")]
    [TestCase("223.255.255.255")]
    [TestCase("2001:4860:4860::8888")]
    [TestCase("2001:4860::8888")]
    [TestCase("2606:4700:4700::1111")]
    [TestCase("2a00:1450:4001:80b::200e")]
    [TestCase("::ffff:8.8.8.8")]
    [TestCase("64:ff9b::808:808")]         // NAT64 of 8.8.8.8
    [TestCase("2002:808:808::1")]          // 6to4 of 8.8.8.8
    public void Public(string address) => AssertClass(address, AddressClass.Public);

    [TestCase("127.0.0.1")]
    [TestCase("127.0.0.2")]
    [TestCase("127.255.255.254")]
    [TestCase("::1")]
    [TestCase("::ffff:127.0.0.1")]
    [TestCase("64:ff9b::7f00:1")]
    [TestCase("2002:7f00:1::")]
    [TestCase("::127.0.0.1")]              // IPv4-compatible (deprecated)
    public void Loopback(string address) => AssertClass(address, AddressClass.Loopback);

    [TestCase("10.0.0.1")]
    [TestCase("10.255.255.255")]
    [TestCase("172.16.0.1")]
    [TestCase("172.31.255.255")]
    [TestCase("192.168.0.1")]
    [TestCase("192.168.255.255")]
    [TestCase("::ffff:10.0.0.1")]
    [TestCase("::ffff:192.168.1.1")]
    [TestCase("::ffff:172.16.0.1")]
    [TestCase("64:ff9b::a00:1")]           // NAT64 of 10.0.0.1
    [TestCase("2002:c0a8:101::1")]         // 6to4 of 192.168.1.1
    [TestCase("::10.0.0.1")]
    [TestCase("fc00::1")]
    [TestCase("fd12:3456:789a::1")]
    [TestCase("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [TestCase("fec0::1")]                  // site-local (deprecated)
    public void Private(string address) => AssertClass(address, AddressClass.Private);

    [TestCase("169.254.0.1")]
    [TestCase("169.254.255.255")]
    [TestCase("169.254.169.253")]
    [TestCase("::ffff:169.254.1.1")]
    [TestCase("fe80::1")]
    [TestCase("fe80::1%2")]
    [TestCase("febf:ffff::1")]
    public void LinkLocal(string address) => AssertClass(address, AddressClass.LinkLocal);

    [TestCase("169.254.169.254")]
    [TestCase("169.254.170.2")]
    [TestCase("169.254.170.23")]
    [TestCase("100.100.100.200")]
    [TestCase("192.0.0.192")]
    [TestCase("fd00:ec2::254")]
    [TestCase("fd00:ec2::23")]
    [TestCase("::ffff:169.254.169.254")]
    [TestCase("::ffff:a9fe:a9fe")]
    [TestCase("64:ff9b::a9fe:a9fe")]
    [TestCase("2002:a9fe:a9fe::")]
    public void CloudMetadata(string address) => AssertClass(address, AddressClass.CloudMetadata);

    [TestCase("0.0.0.0")]
    [TestCase("::")]
    [TestCase("::ffff:0.0.0.0")]
    public void Unspecified(string address) => AssertClass(address, AddressClass.Unspecified);

    [TestCase("224.0.0.1")]
    [TestCase("239.255.255.250")]
    [TestCase("ff02::1")]
    [TestCase("ff05::1:3")]
    [TestCase("::ffff:224.0.0.251")]
    public void Multicast(string address) => AssertClass(address, AddressClass.Multicast);

    [TestCase("0.1.2.3")]                  // "this network"
    [TestCase("100.64.0.1")]               // carrier-grade NAT
    [TestCase("100.127.255.255")]
    [TestCase("192.0.0.8")]                // IETF protocol assignments
    [TestCase("192.0.2.1")]                // documentation
    [TestCase("198.51.100.7")]
    [TestCase("203.0.113.7")]
    [TestCase("198.18.0.1")]               // benchmarking
    [TestCase("198.19.255.255")]
    [TestCase("192.88.99.1")]              // 6to4 relay anycast
    [TestCase("240.0.0.1")]
    [TestCase("255.255.255.255")]
    [TestCase("::ffff:100.64.0.1")]
    [TestCase("::8.8.8.8")]                // IPv4-compatible: deprecated, never public
    [TestCase("100::1")]                   // discard-only
    [TestCase("2001::1")]                  // Teredo
    [TestCase("2001:2::1")]                // benchmarking
    [TestCase("2001:db8::1")]              // documentation
    [TestCase("3fff::1")]
    [TestCase("64:ff9b:1::a00:1")]         // local-use NAT64
    [TestCase("4000::1")]                  // outside 2000::/3: not allocated
    [TestCase("::2:0:0:1")]
    public void Reserved(string address) => AssertClass(address, AddressClass.Reserved);

    [Test]
    public void Only_public_addresses_and_loopback_when_allowed_may_be_called()
    {
        var strict = new OutboundOptions();
        var loopback = new OutboundOptions { AllowLoopback = true };

        Assert.Multiple(() =>
        {
            foreach (var addressClass in Enum.GetValues<AddressClass>())
            {
                Assert.That(AddressClassifier.IsAllowed(addressClass, strict), Is.EqualTo(addressClass == AddressClass.Public), $"{addressClass}, strict");
                Assert.That(AddressClassifier.IsAllowed(addressClass, loopback),
                    Is.EqualTo(addressClass is AddressClass.Public or AddressClass.Loopback), $"{addressClass}, loopback allowed");
            }
        });
    }

    private static void AssertClass(string address, AddressClass expected) =>
        Assert.That(AddressClassifier.Classify(IPAddress.Parse(address)), Is.EqualTo(expected), address);
}
