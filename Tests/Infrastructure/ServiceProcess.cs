using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IndustryData.OData.Tests.Infrastructure;

/// <summary>
/// The built service as a separate process on Kestrel (loopback only), the way it runs in production: started with
/// `dotnet IndustryData.OData.Service.dll`, ready when GET /health is 200, stopped with SIGTERM or killed with SIGKILL.
/// Its stdout/stderr are kept for failure messages.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private const string AssemblyName = "IndustryData.OData.Service";
    private const int MaxOutputLines = 400;

    private readonly Process process;
    private readonly Queue<string> output = new();

    private ServiceProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>The last lines the process wrote, for assertion messages.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return string.Join(Environment.NewLine, output);
            }
        }
    }

    /// <summary>
    /// Starts the service on <paramref name="databaseFile"/> in the Production environment with the test JWT settings
    /// (unless <paramref name="testTokenSettings"/> is false), throttling out of the way, and any
    /// <paramref name="settings"/> (configuration keys, ':' separated, or environment variables).
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string databaseFile, IReadOnlyDictionary<string, string?>? settings = null, TimeSpan? startTimeout = null,
        bool testTokenSettings = true)
    {
        var timeout = startTimeout ?? TimeSpan.FromSeconds(60);
        for (var attempt = 1; ; attempt++)
        {
            var service = Launch(databaseFile, settings, FreeLoopbackPort(), testTokenSettings);
            try
            {
                await service.WaitUntilHealthyAsync(timeout);
                return service;
            }
            catch (InvalidOperationException) when (attempt < 3 && service.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                // Another process took the free port between our probe and the service's bind: try another.
                await service.DisposeAsync();
            }
            catch
            {
                await service.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>A client for this instance with a bearer token (read-write unless given).</summary>
    public HttpClient CreateClient(string? token = null, TimeSpan? timeout = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = BaseAddress,
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token ?? TestTokens.Write());
        return client;
    }

    /// <summary>SIGTERM: the host stops accepting, lets in-flight requests finish and exits. Returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!process.HasExited)
        {
            Signal(process.Id, PosixSignals.SigTerm);
            using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                Kill();
                throw new InvalidOperationException($"The service did not exit within {timeout ?? TimeSpan.FromSeconds(30)} of SIGTERM; killed it.\n{Output}");
            }
        }

        return process.ExitCode;
    }

    /// <summary>Sends SIGTERM and returns at once (to observe requests in flight during shutdown).</summary>
    public void SignalTerminate() => Signal(process.Id, PosixSignals.SigTerm);

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => process.WaitForExitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        Kill();
        await process.WaitForExitAsync();
        process.Dispose();
    }

    private static ServiceProcess Launch(string databaseFile, IReadOnlyDictionary<string, string?>? settings, int port, bool testTokenSettings)
    {
        var directory = AppContext.BaseDirectory;
        var assembly = Path.Combine(directory, AssemblyName + ".dll");
        foreach (var required in new[] { assembly, Path.Combine(directory, AssemblyName + ".runtimeconfig.json"), Path.Combine(directory, AssemblyName + ".deps.json") })
        {
            if (!File.Exists(required))
            {
                throw new InvalidOperationException($"{required} is missing: the Tests project must reference the Service project so its build output is copied next to the tests.");
            }
        }

        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet")
        {
            // The content root is the working directory: the test bin folder holds the service's appsettings.json.
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        var environment = start.Environment;
        foreach (var key in environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)).ToList())
        {
            environment.Remove(key);
        }

        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        environment["ConnectionStrings__Runs"] = $"Data Source={databaseFile}";
        environment["Throttling__PermitsPerWindow"] = "1000000";
        foreach (var (key, value) in (testTokenSettings ? TestTokens.Settings : new Dictionary<string, string?>()).Concat(settings ?? new Dictionary<string, string?>()))
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var service = new ServiceProcess(process, baseAddress);
        process.OutputDataReceived += (_, line) => service.Append(line.Data);
        process.ErrorDataReceived += (_, line) => service.Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        string last = "no answer";
        while (deadline.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with code {process.ExitCode} before it was healthy.\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync("health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                last = exception.Message;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"The service was not healthy within {timeout} (last: {last}).\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Enqueue(line);
            while (output.Count > MaxOutputLines)
            {
                output.Dequeue();
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Signal(int pid, int signal)
    {
        if (PosixSignals.Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed with errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Returns the collected output with a heading, for assertion messages.</summary>
    public string Describe(string heading)
    {
        var text = new StringBuilder();
        text.AppendLine(heading).AppendLine("--- service output (last lines) ---").Append(Output);
        return text.ToString();
    }
}
