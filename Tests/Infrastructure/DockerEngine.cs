using System.Net.Sockets;

namespace IndustryData.OData.Tests.Infrastructure;

/// <summary>
/// Finds out cheaply whether a Docker engine answers, so that a machine without one skips the SQL Server suites in
/// milliseconds instead of waiting on Testcontainers' own discovery.
/// </summary>
public static class DockerEngine
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Null when the engine answered its ping; otherwise why not.</summary>
    public static async Task<string?> WhyUnavailableAsync()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrWhiteSpace(host))
        {
            var socket = SocketCandidates().FirstOrDefault(File.Exists);
            return socket is null ? "no Docker engine: DOCKER_HOST is unset and there is no docker.sock" : await PingAsync(UnixSocket(socket), socket);
        }

        var endpoint = new Uri(host);
        return endpoint.Scheme switch
        {
            "unix" => await PingAsync(UnixSocket(endpoint.AbsolutePath), host),
            "tcp" => await PingAsync(new SocketsHttpHandler(), host, new UriBuilder(endpoint) { Scheme = "http" }.Uri),
            // Named pipes (Windows) and TLS endpoints: leave discovery to Testcontainers, which reports failure itself.
            _ => null,
        };
    }

    private static IEnumerable<string> SocketCandidates()
    {
        yield return "/var/run/docker.sock";
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        yield return Path.Combine(home, ".docker", "run", "docker.sock");
        if (Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime)
        {
            yield return Path.Combine(runtime, "docker.sock");
        }
    }

    private static SocketsHttpHandler UnixSocket(string path) => new()
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    private static async Task<string?> PingAsync(SocketsHttpHandler handler, string endpoint, Uri? baseAddress = null)
    {
        using var client = new HttpClient(handler) { BaseAddress = baseAddress ?? new Uri("http://docker/"), Timeout = PingTimeout };
        try
        {
            using var response = await client.GetAsync(new Uri("_ping", UriKind.Relative));
            return response.IsSuccessStatusCode ? null : $"the Docker engine at {endpoint} answered its ping with {(int)response.StatusCode}";
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or SocketException)
        {
            return $"the Docker engine at {endpoint} does not answer ({exception.Message})";
        }
    }
}
