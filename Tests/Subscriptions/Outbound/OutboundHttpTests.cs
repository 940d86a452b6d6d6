using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using IndustryData.OData.Service.Subscriptions.Outbound;
using Microsoft.Extensions.Options;

namespace IndustryData.OData.Tests.Subscriptions.Outbound;

/// <summary>
/// Outbound calls end to end, on loopback only: every connection goes through <see cref="LoopbackOnlyConnections"/>,
/// and names that must be refused live under .invalid and are resolved by <see cref="MappedResolver"/>.
/// </summary>
public sealed class OutboundHttpTests
{
    private const string Notification = """{"value":[{"changeType":"created"}]}""";

    private LoopbackOnlyConnections connections = null!;

    [SetUp]
    public void RecordConnections() => connections = new LoopbackOnlyConnections();

    [Test]
    public async Task A_post_reaches_a_loopback_receiver_and_returns_its_answer()
    {
        await using var receiver = new LoopbackReceiver(_ => LoopbackReceiver.Answer(202, "accepted", "text/plain; charset=utf-8"));
        using var http = Http(new OutboundOptions { AllowLoopback = true });

        var response = await http.PostAsync(receiver.Url("/notifications?tenant=contoso"), Json(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response, Is.EqualTo(new OutboundResponse(202, "text/plain; charset=utf-8", "accepted", OutboundFailure.None, null)));
            Assert.That(response.IsSuccess, Is.True);
            var request = receiver.Requests.Single();
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(request.Path, Is.EqualTo("/notifications?tenant=contoso"));
            Assert.That(request.Body, Is.EqualTo(Notification));
            Assert.That(request.Headers["Content-Type"], Does.StartWith("application/json"));
        });
    }

    [Test]
    public async Task A_post_reaches_a_receiver_on_ipv6_loopback()
    {
        LoopbackReceiver receiver;
        try
        {
            receiver = new LoopbackReceiver(_ => LoopbackReceiver.Answer(200, "ok"), IPAddress.IPv6Loopback);
        }
        catch (SocketException)
        {
            Assert.Ignore("This machine has no IPv6 loopback.");
            return;
        }
        await using var _ = receiver;
        using var http = Http(new OutboundOptions { AllowLoopback = true });

        var response = await http.PostAsync(receiver.Url("/", "[::1]"), Json(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.Body, Is.EqualTo("ok"), response.FailureReason);
            Assert.That(connections.Attempts.Select(endPoint => endPoint.ToString()), Is.EqualTo(new[] { $"[::1]:{receiver.Port}" }));
        });
    }

    [Test]
    public async Task No_credentials_cookies_or_proxy_headers_are_sent_and_the_user_agent_names_the_service()
    {
        await using var receiver = new LoopbackReceiver(_ => LoopbackReceiver.Answer(200, "", "text/plain", "Set-Cookie: session=abc"));
        using var http = Http(new OutboundOptions { AllowLoopback = true });

        using var content = Json();
        await http.PostAsync(receiver.Url("/first"), content, CancellationToken.None);
        await http.PostAsync(receiver.Url("/second"), content, CancellationToken.None); // the content stays the caller's

        var requests = receiver.Requests.ToArray();
        Assert.That(requests, Has.Length.EqualTo(2));
        Assert.Multiple(() =>
        {
            foreach (var request in requests)
            {
                Assert.That(request.Headers.Keys, Has.None.EqualTo("Authorization").IgnoreCase
                    .And.None.EqualTo("Cookie").IgnoreCase
                    .And.None.EqualTo("Proxy-Authorization").IgnoreCase, request.Path);
                Assert.That(request.Headers["User-Agent"], Is.EqualTo(OutboundHttp.UserAgent));
                Assert.That(request.Body, Is.EqualTo(Notification));
            }
        });
    }

    [Test]
    public async Task Only_the_first_bytes_of_a_large_answer_are_read()
    {
        var large = new string('x', 100 * 1024);
        await using var receiver = new LoopbackReceiver(_ => LoopbackReceiver.Answer(200, large));
        using var bounded = Http(new OutboundOptions { AllowLoopback = true });
        using var smaller = Http(new OutboundOptions { AllowLoopback = true, MaxResponseBytes = 100 });

        var response = await bounded.PostAsync(receiver.Url("/"), Json(), CancellationToken.None);
        var smallerResponse = await smaller.PostAsync(receiver.Url("/"), Json(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(200));
            Assert.That(response.Body, Is.EqualTo(new string('x', 4096)));
            Assert.That(smallerResponse.Body, Is.EqualTo(new string('x', 100)));
        });
    }

    [Test]
    public async Task A_redirect_is_returned_and_not_followed()
    {
        LoopbackReceiver? receiver = null;
        receiver = new LoopbackReceiver(request => request.Path == "/first"
            ? LoopbackReceiver.Answer(302, "", "text/plain", $"Location: {receiver!.Url("/second")}")
            : LoopbackReceiver.Answer(200));
        await using var _ = receiver;
        using var http = Http(new OutboundOptions { AllowLoopback = true });

        var response = await http.PostAsync(receiver.Url("/first"), Json(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(302));
            Assert.That(response.Failure, Is.EqualTo(OutboundFailure.None));
            Assert.That(response.IsSuccess, Is.False);
            Assert.That(receiver.Requests.Select(request => request.Path), Is.EqualTo(new[] { "/first" }));
        });
    }

    [Test]
    public async Task A_receiver_that_never_answers_is_a_timeout_within_the_response_timeout()
    {
        await using var receiver = new LoopbackReceiver(_ => null);
        using var http = Http(new OutboundOptions { AllowLoopback = true, ResponseTimeout = TimeSpan.FromMilliseconds(300) });

        var clock = Stopwatch.StartNew();
        var response = await http.PostAsync(receiver.Url("/"), Json(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.Failure, Is.EqualTo(OutboundFailure.Timeout));
            Assert.That(response.FailureReason, Does.Contain("no complete answer within 0.3 s"));
            Assert.That(response.StatusCode, Is.Null);
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)));
            Assert.That(receiver.Requests, Has.Count.EqualTo(1), "the request did reach the receiver");
        });
    }

    [Test]
    public async Task A_host_that_does_not_resolve_in_time_is_a_connect_timeout()
    {
        using var http = Http(new OutboundOptions { ConnectTimeout = TimeSpan.FromMilliseconds(200), ResponseTimeout = TimeSpan.FromSeconds(5) },
            new SilentResolver());

        var clock = Stopwatch.StartNew();
        var response = await http.PostAsync(new Uri("https://slow.example.invalid/"), Json(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.Failure, Is.EqualTo(OutboundFailure.Timeout));
            Assert.That(response.FailureReason, Does.Contain("no connection within 0.2 s"));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)));
            Assert.That(connections.Attempts, Is.Empty);
        });
    }

    [Test]
    public async Task Cancelling_the_callers_token_throws_rather_than_reporting_a_failure()
    {
        await using var receiver = new LoopbackReceiver(_ => null);
        using var http = Http(new OutboundOptions { AllowLoopback = true });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.That(async () => await http.PostAsync(receiver.Url("/"), Json(), cancellation.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task A_closed_port_is_a_connect_failure()
    {
        var port = UnusedLoopbackPort();
        using var http = Http(new OutboundOptions { AllowLoopback = true });

        var response = await http.PostAsync(new Uri($"http://127.0.0.1:{port}/"), Json(), CancellationToken.None);

        Assert.That(response.Failure, Is.EqualTo(OutboundFailure.ConnectFailed), response.FailureReason);
    }

    [Test]
    public async Task A_name_that_is_not_found_is_a_connect_failure()
    {
        using var http = Http(new OutboundOptions(), new MappedResolver([]));

        var response = await http.PostAsync(new Uri("https://missing.example.invalid/"), Json(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.Failure, Is.EqualTo(OutboundFailure.ConnectFailed), response.FailureReason);
            Assert.That(connections.Attempts, Is.Empty);
        });
    }

    [Test]
    public async Task Without_loopback_allowed_a_loopback_url_is_refused_before_any_connection()
    {
        await using var receiver = new LoopbackReceiver(_ => LoopbackReceiver.Answer(200));
        using var http = Http(new OutboundOptions(), new MappedResolver(new() { ["localhost"] = ["127.0.0.1"] }));

        var literal = await http.PostAsync(receiver.Url("/"), Json(), CancellationToken.None);
        var secure = await http.PostAsync(receiver.Url("/", scheme: "https"), Json(), CancellationToken.None);
        var named = await http.PostAsync(receiver.Url("/", "localhost", "https"), Json(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(literal.Failure, Is.EqualTo(OutboundFailure.RefusedUrl));
            Assert.That(literal.FailureReason, Does.StartWith("The URL must use https"));
            Assert.That(secure.Failure, Is.EqualTo(OutboundFailure.RefusedUrl));
            Assert.That(named.Failure, Is.EqualTo(OutboundFailure.RefusedUrl));
            Assert.That(connections.Attempts, Is.Empty);
            Assert.That(receiver.Connections, Is.Zero);
        });
    }

    [Test]
    public async Task Without_loopback_allowed_a_name_that_resolves_to_loopback_is_refused_at_connect()
    {
        await using var receiver = new LoopbackReceiver(_ => LoopbackReceiver.Answer(200));
        var resolver = new MappedResolver(new() { ["receiver.example.invalid"] = ["127.0.0.1", "::1"] });
        using var http = Http(new OutboundOptions(), resolver);

        var response = await http.PostAsync(receiver.Url("/", "receiver.example.invalid", "https"), Json(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.Failure, Is.EqualTo(OutboundFailure.RefusedAddress));
            Assert.That(response.FailureReason, Does.Contain("loopback"));
            Assert.That(resolver.Lookups, Is.EqualTo(new[] { "receiver.example.invalid" }));
            Assert.That(connections.Attempts, Is.Empty);
            Assert.That(receiver.Connections, Is.Zero);
        });
    }

    [TestCase("10.0.0.1", "private")]
    [TestCase("192.168.1.1", "private")]
    [TestCase("169.254.169.254", "cloud metadata")]
    [TestCase("fd00:ec2::254", "cloud metadata")]
    [TestCase("::ffff:10.0.0.1", "private")]
    [TestCase("fe80::1", "link-local")]
    [TestCase("0.0.0.0", "unspecified")]
    public async Task A_name_that_resolves_to_a_refused_address_is_refused_before_connecting(string address, string reason)
    {
        // DNS rebinding: the URL passed its checks when the subscription was made; the name now resolves elsewhere.
        var resolver = new MappedResolver(new() { ["rebind.example.invalid"] = [address] });
        using var http = Http(new OutboundOptions { AllowLoopback = true }, resolver);
        var url = new Uri("https://rebind.example.invalid/notifications");
        Assert.That(OutboundUrlRules.Refusal(url, new OutboundOptions()), Is.Null);

        var response = await http.PostAsync(url, Json(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.Failure, Is.EqualTo(OutboundFailure.RefusedAddress));
            Assert.That(response.FailureReason, Does.Contain(reason));
            Assert.That(resolver.Lookups, Is.EqualTo(new[] { "rebind.example.invalid" }));
            Assert.That(connections.Attempts, Is.Empty, "no socket was opened");
        });
    }

    [Test]
    public async Task Of_the_resolved_addresses_only_an_allowed_one_is_connected_to()
    {
        await using var receiver = new LoopbackReceiver(_ => LoopbackReceiver.Answer(204));
        var resolver = new MappedResolver(new() { ["localhost"] = ["10.0.0.1", "169.254.169.254", "fd00::1", "127.0.0.1"] });
        using var http = Http(new OutboundOptions { AllowLoopback = true }, resolver);

        var response = await http.PostAsync(receiver.Url("/", "localhost"), Json(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(204), response.FailureReason);
            Assert.That(resolver.Lookups, Is.EqualTo(new[] { "localhost" }), "the injected resolver, not the system's");
            Assert.That(connections.Attempts.Select(endPoint => endPoint.ToString()), Is.EqualTo(new[] { $"127.0.0.1:{receiver.Port}" }));
            Assert.That(receiver.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task The_connection_goes_to_the_address_the_name_resolved_to()
    {
        // https to a name that resolves to the loopback receiver: the TCP connection reaches it (the TLS handshake
        // then fails, as the receiver speaks plain HTTP) — the address connected to is the resolved one.
        await using var receiver = new LoopbackReceiver(_ => LoopbackReceiver.Answer(200));
        var resolver = new MappedResolver(new() { ["receiver.example.invalid"] = ["127.0.0.1"] });
        using var http = Http(new OutboundOptions { AllowLoopback = true }, resolver);

        var response = await http.PostAsync(receiver.Url("/", "receiver.example.invalid", "https"), Json(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.Failure, Is.EqualTo(OutboundFailure.ConnectFailed), response.FailureReason);
            Assert.That(connections.Attempts.Select(endPoint => endPoint.ToString()), Is.EqualTo(new[] { $"127.0.0.1:{receiver.Port}" }));
            Assert.That(receiver.Connections, Is.EqualTo(1));
            Assert.That(receiver.Requests, Is.Empty);
        });
    }

    [Test]
    public async Task Plain_http_to_a_name_that_resolves_beyond_loopback_is_refused_before_connecting()
    {
        // http is accepted for "localhost" only; if that name resolves to a public address, http is not used there.
        var resolver = new MappedResolver(new() { ["localhost"] = ["8.8.8.8"] });
        using var http = Http(new OutboundOptions { AllowLoopback = true }, resolver);

        var response = await http.PostAsync(new Uri("http://localhost:5000/"), Json(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.Failure, Is.EqualTo(OutboundFailure.RefusedAddress));
            Assert.That(response.FailureReason, Does.Contain("https only"));
            Assert.That(connections.Attempts, Is.Empty);
        });
    }

    private OutboundHttp Http(OutboundOptions options, IOutboundAddressResolver? resolver = null) =>
        new(Options.Create(options), resolver ?? new MappedResolver([]), connections.ConnectAsync);

    private static StringContent Json() => new(Notification, Encoding.UTF8, "application/json");

    private static int UnusedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
