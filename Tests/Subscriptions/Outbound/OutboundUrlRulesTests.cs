using IndustryData.OData.Service.Subscriptions.Outbound;

namespace IndustryData.OData.Tests.Subscriptions.Outbound;

/// <summary>The syntactic rules for URLs the service calls; nothing here resolves or connects.</summary>
public sealed class OutboundUrlRulesTests
{
    private static readonly OutboundOptions Production = new();
    private static readonly OutboundOptions Development = new() { AllowLoopback = true };

    [TestCase("https://receiver.example.com/notifications")]
    [TestCase("https://receiver.example.com:8443/notifications?tenant=contoso")]
    [TestCase("https://RECEIVER.example.com./notifications")]
    [TestCase("https://xn--bcher-kva.example/notifications")]
    [TestCase("https://8.8.8.8/notifications")]
    [TestCase("https://[2001:4860:4860::8888]/notifications")]
    [TestCase("https://receiver.example.invalid/")] // acceptable in form; the resolver finds nothing for .invalid
    public void Accepted_everywhere(string url)
    {
        Assert.Multiple(() =>
        {
            Assert.That(OutboundUrlRules.Refusal(new Uri(url), Production), Is.Null, "Production");
            Assert.That(OutboundUrlRules.Refusal(new Uri(url), Development), Is.Null, "Development");
        });
    }

    [TestCase("http://127.0.0.1:5000/notifications")]
    [TestCase("http://127.0.0.2/")]
    [TestCase("http://localhost:5000/notifications")]
    [TestCase("http://LOCALHOST/")]
    [TestCase("http://[::1]:5000/notifications")]
    [TestCase("https://localhost:5001/")]
    [TestCase("https://127.0.0.1/")]
    [TestCase("https://[::1]/")]
    public void Loopback_is_accepted_only_when_allowed(string url)
    {
        Assert.Multiple(() =>
        {
            Assert.That(OutboundUrlRules.Refusal(new Uri(url), Development), Is.Null, "Development");
            Assert.That(OutboundUrlRules.Refusal(new Uri(url), Production), Is.Not.Null, "Production");
        });
    }

    [TestCase("http://receiver.example.invalid/notifications", "must use https")]
    [TestCase("HTTP://receiver.example.invalid/notifications", "must use https")]
    [TestCase("ftp://receiver.example.invalid/notifications", "must use https")]
    [TestCase("file:///etc/passwd", "must use https")]
    [TestCase("ws://receiver.example.invalid/", "must use https")]
    [TestCase("http://10.0.0.1/", "must use https")]
    [TestCase("http://localhost./", "must use https")]
    [TestCase("https://user:secret@receiver.example.invalid/", "user name or password")]
    [TestCase("https://user@receiver.example.invalid/", "user name or password")]
    [TestCase("https://receiver.example.invalid/#fragment", "fragment")]
    [TestCase("https://receiver.example.invalid/#", "fragment")]
    [TestCase("https://10.0.0.1/", "private network")]
    [TestCase("https://172.16.5.4/", "private network")]
    [TestCase("https://192.168.1.1/", "private network")]
    [TestCase("https://[fd12::1]/", "private network")]
    [TestCase("https://[::ffff:10.0.0.1]/", "private network")]
    [TestCase("https://[::ffff:192.168.1.1]/", "private network")]
    [TestCase("https://169.254.169.254/latest/meta-data/", "cloud metadata")]
    [TestCase("https://[fd00:ec2::254]/latest/meta-data/", "cloud metadata")]
    [TestCase("https://100.100.100.200/latest/meta-data/", "cloud metadata")]
    [TestCase("https://169.254.1.1/", "link-local")]
    [TestCase("https://[fe80::1]/", "link-local")]
    [TestCase("https://[fe80::1%25eth0]/", "link-local")]
    [TestCase("https://0.0.0.0/", "unspecified")]
    [TestCase("https://[::]/", "unspecified")]
    [TestCase("https://224.0.0.1/", "multicast")]
    [TestCase("https://[ff02::1]/", "multicast")]
    [TestCase("https://100.64.0.1/", "reserved")]
    [TestCase("https://203.0.113.7/", "reserved")]
    [TestCase("https://255.255.255.255/", "reserved")]
    [TestCase("https://2130706433/", "dotted-decimal")]  // 127.0.0.1 as one number
    [TestCase("https://134744072/", "dotted-decimal")]   // 8.8.8.8 as one number
    [TestCase("https://0x7f000001/", "dotted-decimal")]
    [TestCase("https://0177.0.0.1/", "dotted-decimal")]
    [TestCase("https://0x7f.0.0.1/", "dotted-decimal")]
    [TestCase("https://127.1/", "dotted-decimal")]
    [TestCase("https://010.8.8.8/", "dotted-decimal")]
    [TestCase("https://0x7f.1/", "dotted-decimal")]
    [TestCase("https://receiver.example.123/", "dotted-decimal")]
    [TestCase("https://8.8.8.8.9/", "dotted-decimal")]
    [TestCase("https://127.0.0.1./", "dotted-decimal")]
    [TestCase("https://8.8.8.8./", "dotted-decimal")]
    public void Refused_everywhere(string url, string reason)
    {
        Assert.Multiple(() =>
        {
            Assert.That(OutboundUrlRules.Refusal(new Uri(url), Production), Does.Contain(reason).IgnoreCase, "Production");
            Assert.That(OutboundUrlRules.Refusal(new Uri(url), Development), Does.Contain(reason).IgnoreCase, "Development");
        });
    }

    [TestCase("https://127.0.0.1/", "loopback")]
    [TestCase("https://[::1]/", "loopback")]
    [TestCase("https://[::ffff:127.0.0.1]/", "loopback")]
    [TestCase("https://localhost/", "localhost")]
    [TestCase("https://receiver.localhost/", "localhost")]
    [TestCase("http://127.0.0.1:5000/", "https")]
    [TestCase("http://localhost:5000/", "https")]
    [TestCase("http://[::1]:5000/", "https")]
    public void Loopback_is_refused_outside_development(string url, string reason) =>
        Assert.That(OutboundUrlRules.Refusal(new Uri(url), Production), Does.Contain(reason).IgnoreCase);

    [Test]
    public void A_relative_url_is_refused() =>
        Assert.That(OutboundUrlRules.Refusal(new Uri("/notifications", UriKind.Relative), Development), Does.Contain("absolute"));

    [Test]
    public void The_refusal_names_the_property_and_says_how_to_fix_it()
    {
        var url = new Uri("http://receiver.example.invalid/notifications");

        Assert.Multiple(() =>
        {
            Assert.That(OutboundUrlRules.Refusal(url, Production),
                Is.EqualTo("notificationUrl must use https; http is accepted only for loopback receivers in Development."));
            Assert.That(OutboundUrlRules.Refusal(url, Production, "lifecycleNotificationUrl"), Does.StartWith("lifecycleNotificationUrl must use https"));
        });
    }
}
