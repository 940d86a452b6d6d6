using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IndustryData.OData.Tests.Subscriptions.Outbound;

/// <summary>A request as the receiver saw it.</summary>
internal sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// A minimal HTTP/1.1 receiver on 127.0.0.1 (or ::1) and a random port: it counts connections, records requests, and answers
/// each with what <c>respond</c> returns (raw response text), or never when it returns null. A connection that does
/// not start like an HTTP request (a TLS handshake) is closed.
/// </summary>
internal sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly Func<ReceivedRequest, string?> respond;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentBag<TcpClient> clients = [];
    private readonly Task accepting;
    private int connections;

    public LoopbackReceiver(Func<ReceivedRequest, string?> respond, IPAddress? address = null)
    {
        this.respond = respond;
        listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref connections);

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public Uri Url(string path, string host = "127.0.0.1", string scheme = "http") => new($"{scheme}://{host}:{Port}{path}");

    public static string Answer(int status, string body = "", string contentType = "text/plain", params string[] headers)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} Status\r\nContent-Type: {contentType}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n");
        foreach (var header in headers)
            head.Append(header).Append("\r\n");
        return head.Append("\r\n").Append(body).ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        foreach (var client in clients)
            client.Dispose();
        try
        {
            await accepting;
        }
        catch (Exception failure) when (failure is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stopping.Token);
            Interlocked.Increment(ref connections);
            clients.Add(client);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var request = await ReadRequestAsync(stream);
            if (request is null)
            {
                client.Dispose();
                return;
            }
            Requests.Enqueue(request);
            if (respond(request) is { } answer)
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(answer), stopping.Token);
                client.Dispose();
            }
        }
        catch (Exception failure) when (failure is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The caller closed the connection early (as a bounded read does), or the receiver is stopping.
        }
    }

    private async Task<ReceivedRequest?> ReadRequestAsync(NetworkStream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        int headEnd;
        while ((headEnd = IndexOfBlankLine(received)) < 0)
        {
            var read = await stream.ReadAsync(buffer, stopping.Token);
            if (read == 0 || !char.IsAsciiLetterUpper((char)(received.Count > 0 ? received[0] : buffer[0])))
                return null;
            received.AddRange(buffer.AsSpan(0, read));
        }

        var lines = Encoding.ASCII.GetString(received.ToArray(), 0, headEnd).Split("\r\n");
        var requestLine = lines[0].Split(' ');
        var headers = lines.Skip(1).Select(line => line.Split(':', 2))
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var length = headers.TryGetValue("Content-Length", out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var body = received.Skip(headEnd + 4).ToList();
        while (body.Count < length)
        {
            var read = await stream.ReadAsync(buffer, stopping.Token);
            if (read == 0)
                break;
            body.AddRange(buffer.AsSpan(0, read));
        }
        return new ReceivedRequest(requestLine[0], requestLine[1], headers, Encoding.UTF8.GetString(body.ToArray()));
    }

    private static int IndexOfBlankLine(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
                return i;
        }
        return -1;
    }
}
