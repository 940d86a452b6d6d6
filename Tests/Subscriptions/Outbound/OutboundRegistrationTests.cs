using System.Net;
using IndustryData.OData.Service.Subscriptions.Outbound;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace IndustryData.OData.Tests.Subscriptions.Outbound;

/// <summary>AddOutboundHttp: options from "Subscriptions:Outbound", loopback by environment, one OutboundHttp.</summary>
public sealed class OutboundRegistrationTests
{
    [TestCase("Development", true)]
    [TestCase("Production", false)]
    [TestCase("Staging", false)]
    public void Loopback_is_allowed_by_default_in_development_only(string environment, bool allowed)
    {
        using var services = Build(environment, []);

        Assert.That(services.GetRequiredService<IOptions<OutboundOptions>>().Value.AllowLoopback, Is.EqualTo(allowed));
    }

    [Test]
    public void Configuration_overrides_the_defaults()
    {
        using var services = Build("Development", new()
        {
            ["Subscriptions:Outbound:AllowLoopback"] = "false",
            ["Subscriptions:Outbound:ConnectTimeout"] = "00:00:02",
            ["Subscriptions:Outbound:ResponseTimeout"] = "00:00:07",
            ["Subscriptions:Outbound:MaxResponseBytes"] = "512",
        });

        var options = services.GetRequiredService<IOptions<OutboundOptions>>().Value;

        Assert.Multiple(() =>
        {
            Assert.That(options.AllowLoopback, Is.False);
            Assert.That(options.ConnectTimeout, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(options.ResponseTimeout, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(options.MaxResponseBytes, Is.EqualTo(512));
        });
    }

    [Test]
    public void A_non_positive_timeout_is_refused()
    {
        using var services = Build("Production", new() { ["Subscriptions:Outbound:ResponseTimeout"] = "00:00:00" });

        Assert.That(() => services.GetRequiredService<IOptions<OutboundOptions>>().Value, Throws.InstanceOf<OptionsValidationException>());
    }

    [Test]
    public void One_outbound_http_is_shared_and_uses_the_system_resolver_unless_one_is_registered()
    {
        using var plain = Build("Production", []);
        using var custom = Build("Production", [], services => services.AddSingleton<IOutboundAddressResolver, FixedResolver>());

        var first = plain.GetRequiredService<OutboundHttp>();
        var second = plain.GetRequiredService<OutboundHttp>();

        Assert.Multiple(() =>
        {
            Assert.That(second, Is.SameAs(first));
            Assert.That(plain.GetRequiredService<IOutboundAddressResolver>(), Is.InstanceOf<DnsOutboundAddressResolver>());
            Assert.That(custom.GetRequiredService<IOutboundAddressResolver>(), Is.InstanceOf<FixedResolver>());
        });
    }

    [Test]
    public async Task In_development_the_registered_outbound_http_reaches_a_receiver_on_localhost()
    {
        // The real resolver and sockets; http is only ever connected to loopback addresses, so this stays on the machine.
        await using var receiver = new LoopbackReceiver(_ => LoopbackReceiver.Answer(200, "ok"));
        using var services = Build("Development", []);
        using var content = new StringContent("{}");

        var response = await services.GetRequiredService<OutboundHttp>().PostAsync(receiver.Url("/", "localhost"), content, CancellationToken.None);

        Assert.That(response, Is.EqualTo(new OutboundResponse(200, "text/plain", "ok", OutboundFailure.None, null)));
    }

    private static ServiceProvider Build(string environment, Dictionary<string, string?> settings, Action<IServiceCollection>? before = null)
    {
        var services = new ServiceCollection();
        before?.Invoke(services);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        services.AddOutboundHttp(configuration, new HostingEnvironment { EnvironmentName = environment });
        return services.BuildServiceProvider();
    }

    private sealed class FixedResolver : IOutboundAddressResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Task.FromResult(new[] { IPAddress.Loopback });
    }
}
