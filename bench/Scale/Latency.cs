namespace IndustryData.OData.Bench.Scale;

/// <summary>Sequential requests after a warm-up: median and p90 latency and the service's CPU per request.</summary>
public sealed record Latency(int Requests, double MedianMs, double P90Ms, double CpuMsPerRequest)
{
    public static async Task<Latency> MeasureAsync(ServiceUnderTest service, Func<Task> request, int requests, TimeSpan budget)
    {
        for (var i = 0; i < 5; i++)
        {
            await request();
        }

        var times = new List<double>();
        var cpu = service.CpuTime;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (times.Count < requests && (times.Count < 5 || clock.Elapsed < budget))
        {
            var started = clock.Elapsed;
            await request();
            times.Add((clock.Elapsed - started).TotalMilliseconds);
        }

        var cpuMs = (service.CpuTime - cpu).TotalMilliseconds;
        return FromTimes(times, cpuMs / times.Count);
    }

    public static Latency FromTimes(List<double> times, double cpuMsPerRequest)
    {
        times.Sort();
        return new Latency(times.Count, times[times.Count / 2], times[Math.Min(times.Count - 1, (int)(times.Count * 0.9))], cpuMsPerRequest);
    }

    public static async Task GetOkAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
