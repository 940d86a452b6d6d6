using System.Globalization;
using System.Net;
using System.Security.Authentication;
using System.Text;
using Microsoft.Extensions.Options;

namespace IndustryData.OData.Service.Subscriptions.Outbound;

/// <summary>
/// POSTs to URLs that callers supply, safely: the URL rules, allowed addresses only (checked at connect), no
/// redirects, no proxy, cookies or credentials, timeouts, and a bounded read of the answer. One instance (a
/// singleton) holds one connection pool.
/// </summary>
public sealed class OutboundHttp : IDisposable
{
    public const string UserAgent = "IndustryData.OData-Notifications/1.0";

    private readonly OutboundOptions options;
    private readonly HttpClient client;

    public OutboundHttp(IOptions<OutboundOptions> options, IOutboundAddressResolver resolver)
        : this(options, resolver, OutboundConnector.ConnectSocketAsync)
    {
    }

    internal OutboundHttp(IOptions<OutboundOptions> options, IOutboundAddressResolver resolver, TcpConnect connect)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        client = new HttpClient(CreateHandler(this.options, new OutboundConnector(this.options, resolver, connect)))
        {
            Timeout = Timeout.InfiniteTimeSpan, // ResponseTimeout is applied per call, over the body read as well
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower, // never HTTP/3: QUIC would bypass the connect check
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
    }

    /// <summary>
    /// POSTs <paramref name="content"/> to <paramref name="url"/>. Never throws for a refused URL or address, a
    /// network failure or a receiver's answer (see <see cref="OutboundResponse.Failure"/>); throws
    /// OperationCanceledException only when <paramref name="cancellationToken"/> is cancelled. A 3xx is returned as
    /// it is, never followed. <paramref name="content"/> stays the caller's: it is not disposed here, and a
    /// ByteArrayContent or StringContent may be sent again in a later call.
    /// </summary>
    public async Task<OutboundResponse> PostAsync(Uri url, HttpContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (OutboundUrlRules.Refusal(url, options, "The URL") is { } refusal)
            return OutboundResponse.Failed(OutboundFailure.RefusedUrl, refusal);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ResponseTimeout);
        try
        {
            // Not disposed: that would dispose the caller's content.
            var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await ReadBoundedAsync(response.Content, timeout.Token);
            return new OutboundResponse((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), body, OutboundFailure.None, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException failure)
        {
            // Either ResponseTimeout (our token) or the handler's ConnectTimeout (a TimeoutException inside).
            return OutboundResponse.Failed(OutboundFailure.Timeout, failure.InnerException is TimeoutException && !timeout.IsCancellationRequested
                ? string.Create(CultureInfo.InvariantCulture, $"no connection within {options.ConnectTimeout.TotalSeconds:0.###} s")
                : string.Create(CultureInfo.InvariantCulture, $"no complete answer within {options.ResponseTimeout.TotalSeconds:0.###} s"));
        }
        catch (HttpRequestException failure) when (FindInner<OutboundAddressRefusedException>(failure) is { } refused)
        {
            return OutboundResponse.Failed(OutboundFailure.RefusedAddress, refused.Message);
        }
        catch (HttpRequestException failure) when (failure.HttpRequestError is HttpRequestError.ConnectionError
            or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError
            || FindInner<AuthenticationException>(failure) is not null)
        {
            return OutboundResponse.Failed(OutboundFailure.ConnectFailed, Describe(failure));
        }
        catch (Exception failure) when (failure is HttpRequestException or IOException)
        {
            return OutboundResponse.Failed(OutboundFailure.Other, Describe(failure));
        }
    }

    public void Dispose() => client.Dispose();

    internal static SocketsHttpHandler CreateHandler(OutboundOptions options, OutboundConnector connector) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        Credentials = null,
        DefaultProxyCredentials = null,
        PreAuthenticate = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = options.ConnectTimeout,
        ConnectCallback = connector.ConnectAsync,
        // Connections are re-made (and their addresses re-checked) often enough for DNS changes to be honoured.
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        // An answer not read to its end closes the connection instead of being drained.
        MaxResponseDrainSize = 0,
        MaxResponseHeadersLength = 16, // KiB
    };

    private async Task<string> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Max(0, options.MaxResponseBytes)];
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
                break;
            length += read;
        }
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static T? FindInner<T>(Exception exception) where T : Exception
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is T found)
                return found;
        }
        return null;
    }

    private static string Describe(Exception failure)
    {
        var innermost = failure;
        while (innermost.InnerException is not null)
            innermost = innermost.InnerException;
        return failure.Message.Contains(innermost.Message, StringComparison.Ordinal) ? failure.Message : $"{failure.Message} ({innermost.Message})";
    }
}
