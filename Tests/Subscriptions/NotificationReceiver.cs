using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace IndustryData.OData.Tests.Subscriptions;

/// <summary>
/// A webhook receiver on 127.0.0.1 for the tests: answers Graph's validation handshake, records every notification
/// POST, and can be told to fail, answer wrongly or hang. Loopback only, as the tests' network rule requires.
/// </summary>
public sealed class NotificationReceiver : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;

    public NotificationReceiver()
    {
        Port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public string Url(string path = "hook") => $"http://127.0.0.1:{Port}/{path}";

    /// <summary>What a validation request gets: by default the token echoed as text/plain.</summary>
    public Func<string, (int Status, string ContentType, string Body)> Validation { get; set; } = token => (200, "text/plain", token);

    /// <summary>Status for a notification POST, given its path and its number among the notification POSTs (1 first); 202 by default. Null: never answer (hang).</summary>
    public Func<string, int, int?> NotificationStatus { get; set; } = (_, _) => 202;

    public ConcurrentQueue<string> ValidationQueries { get; } = new();

    /// <summary>Every notification POST's body as text, in arrival order.</summary>
    public ConcurrentQueue<string> RawBodies { get; } = new();

    /// <summary>Every notification POST's path and query, and body as received (accepted or not), in arrival order.</summary>
    public ConcurrentQueue<(string PathAndQuery, JsonObject Body, int Status, DateTimeOffset At)> Posts { get; } = new();

    public IEnumerable<JsonObject> Accepted(string? path = null) => Posts
        .Where(post => post.Status is >= 200 and < 300 && (path is null || post.PathAndQuery.StartsWith("/" + path, StringComparison.Ordinal)))
        .SelectMany(post => post.Body["value"]!.AsArray().Select(item => item!.AsObject()));

    public async Task<List<JsonObject>> WaitForAsync(Func<List<JsonObject>, bool> done, TimeSpan? timeout = null, string? path = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var accepted = Accepted(path).ToList();
            if (done(accepted) || DateTime.UtcNow > deadline)
            {
                return accepted;
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Close();
        try
        {
            await loop;
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private int notificationPosts;

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            var request = context.Request;
            var response = context.Response;
            if (request.QueryString["validationToken"] is { } token)
            {
                ValidationQueries.Enqueue(request.Url!.PathAndQuery);
                var (status, contentType, body) = Validation(token);
                if (status == 0)
                {
                    await Task.Delay(Timeout.Infinite, stopping.Token);
                }

                await WriteAsync(response, status, contentType, body);
                return;
            }

            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            var text = await reader.ReadToEndAsync();
            RawBodies.Enqueue(text);
            var answer = NotificationStatus(request.Url!.AbsolutePath.TrimStart('/'), Interlocked.Increment(ref notificationPosts));
            if (answer is null)
            {
                Posts.Enqueue((request.Url!.PathAndQuery, JsonNode.Parse(text)!.AsObject(), 0, DateTimeOffset.UtcNow));
                await Task.Delay(Timeout.Infinite, stopping.Token);
                return;
            }

            Posts.Enqueue((request.Url!.PathAndQuery, JsonNode.Parse(text)!.AsObject(), answer.Value, DateTimeOffset.UtcNow));
            await WriteAsync(response, answer.Value, "text/plain", string.Empty);
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or OperationCanceledException or IOException)
        {
        }
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, string contentType, string body)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(body);
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }
}
