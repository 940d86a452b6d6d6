using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace IndustryData.OData.Bench.Scale;

/// <summary>
/// The published service on one SQLite file, started with its own token issuer (authentication stays on) and the
/// per-caller throttle lifted; reports its CPU time and peak memory from /proc.
/// </summary>
public sealed class ServiceUnderTest : IAsyncDisposable
{
    private static readonly string Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly Process process;

    private ServiceUnderTest(Process process, int port)
    {
        this.process = process;
        Client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
            Timeout = TimeSpan.FromMinutes(2),
        };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token());
    }

    public HttpClient Client { get; }

    public static async Task<ServiceUnderTest> StartAsync(string binary, string databaseFile, int port, string? logFile = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        if (InUse(port))
        {
            // Readiness must not be answered by someone else's server.
            throw new InvalidOperationException($"Port {port} on 127.0.0.1 is already in use; set PORT to a free one (0 picks one).");
        }

        var start = new ProcessStartInfo(binary, ["--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(databaseFile)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Runs"] = $"Data Source={databaseFile}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Authentication__Schemes__Bearer__ValidIssuer"] = "industrydata-scale";
        start.Environment["Authentication__Schemes__Bearer__ValidAudiences__0"] = "industrydata-scale";
        start.Environment["Authentication__Schemes__Bearer__SigningKeys__0__Issuer"] = "industrydata-scale";
        start.Environment["Authentication__Schemes__Bearer__SigningKeys__0__Value"] = Key;
        start.Environment["Throttling__PermitsPerWindow"] = "1000000000";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        if (logFile is not null)
        {
            // Every SQL command as one JSON line, for the plans.
            start.Environment["Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command"] = "Information";
            start.Environment["Logging__Console__FormatterName"] = "json";
        }

        var process = Process.Start(start)!;
        var log = logFile is null ? TextWriter.Null : new StreamWriter(logFile) { AutoFlush = true };
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) { lock (log) { log.WriteLine(line.Data); } } };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) { Console.Error.WriteLine($"service: {line.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new ServiceUnderTest(process, port);
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with {process.ExitCode} before it was ready.");
            }

            try
            {
                using var response = await service.Client.GetAsync("$metadata");
                if (response.IsSuccessStatusCode)
                {
                    return service;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The service did not answer $metadata within 120 s.");
    }

    /// <summary>User plus system CPU time the service has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            var fields = File.ReadAllText($"/proc/{process.Id}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // Fields 14 and 15 of /proc/pid/stat (utime, stime), in clock ticks of 1/100 s; the split drops the first two.
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromMilliseconds(ticks * 10);
        }
    }

    /// <summary>Peak resident memory since the service started (VmHWM), in MiB.</summary>
    public double PeakRssMiB => File.ReadLines($"/proc/{process.Id}/status")
        .Where(line => line.StartsWith("VmHWM:", StringComparison.Ordinal))
        .Select(line => double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024)
        .Single();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static bool InUse(int port)
    {
        using var probe = new System.Net.Sockets.TcpClient();
        try
        {
            probe.Connect("127.0.0.1", port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static string Token()
    {
        static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Encode(Encoding.UTF8.GetBytes("""{"alg":"HS256","typ":"JWT"}"""));
        var body = Encode(Encoding.UTF8.GetBytes(
            $$"""{"iss":"industrydata-scale","aud":"industrydata-scale","sub":"scale","scp":"IndustryData-Run.ReadWrite.All","nbf":{{now - 60}},"exp":{{now + 14400}}}"""));
        var signature = Encode(HMACSHA256.HashData(Convert.FromBase64String(Key), Encoding.ASCII.GetBytes($"{header}.{body}")));
        return $"{header}.{body}.{signature}";
    }
}
