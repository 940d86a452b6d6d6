using System.Net;

namespace IndustryData.OData.Bench.Scale;

/// <summary>
/// Whether queries no index serves starve everyone else: the p99 of sequential reads by key, quiet and then while
/// eight clients send an unindexed JSON scan in a loop (a statistics member that matches no run, so each one walks the
/// whole table until the statement budget stops it with 400 queryTooExpensive, or the queue of long statements is full:
/// 503 expensiveQueriesBusy).
/// </summary>
public static class Contention
{
    public const string ExpensiveQuery = "runs?$filter=statistics/recordsFailed eq -1&$top=50";

    public sealed record Result(double QuietP99Ms, double LoadedP99Ms, int ExpensiveAnswered, int ExpensiveRefused, int ExpensiveOther);

    public static async Task<Result> MeasureAsync(ServiceUnderTest service, string id, int reads, int clients = 8)
    {
        var byKey = $"runs('{id}')";
        var quiet = await P99Async(service, byKey, reads);
        using var stop = new CancellationTokenSource();
        int answered = 0, refused = 0, other = 0;
        var expensive = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await service.Client.GetAsync(ExpensiveQuery, CancellationToken.None);
                _ = response.StatusCode switch
                {
                    HttpStatusCode.OK => Interlocked.Increment(ref answered),
                    HttpStatusCode.BadRequest or HttpStatusCode.ServiceUnavailable => Interlocked.Increment(ref refused),
                    _ => Interlocked.Increment(ref other),
                };
            }
        })).ToList();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var loaded = await P99Async(service, byKey, reads);
        await stop.CancelAsync();
        await Task.WhenAll(expensive);
        return new Result(quiet, loaded, answered, refused, other);
    }

    private static async Task<double> P99Async(ServiceUnderTest service, string url, int reads)
    {
        for (var i = 0; i < 20; i++)
        {
            await Latency.GetOkAsync(service.Client, url);
        }

        var times = new List<double>(reads);
        for (var i = 0; i < reads; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await Latency.GetOkAsync(service.Client, url);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times[Math.Min(times.Count - 1, (int)(times.Count * 0.99))];
    }
}
