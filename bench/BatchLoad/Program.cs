using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

// Creates the same number of runs twice against a running service — once with single POSTs, once with JSON
// $batch requests of 20 — from the same number of concurrent clients, and prints runs per second for each.
// Usage: BatchLoad <service url> <bearer token> [runs=10000] [clients=32]
var baseUrl = args[0].TrimEnd('/') + "/";
var token = args[1];
var runs = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
var clients = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 32;
const int BatchSize = 20;
const string Run = """{"@odata.type":"#microsoft.graph.industryData.outgoingFlowRun","displayName":"Nightly roster export","startDateTime":"2026-01-31T09:30:00Z","endDateTime":"2026-01-31T09:42:10Z","status":"completed","statistics":{"rowsRead":1200,"rowsWritten":1187,"durationSeconds":730.5,"perEntity":{"students":900,"teachers":287}}}""";

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = new Uri(baseUrl) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

var single = await MeasureAsync(runs, async _ =>
{
    using var response = await http.PostAsync("runs", new StringContent(Run, Encoding.UTF8, "application/json"));
    return response.StatusCode == System.Net.HttpStatusCode.Created ? 1 : 0;
});

var batchBody = "{\"requests\":[" + string.Join(",", Enumerable.Range(1, BatchSize).Select(i =>
    $$"""{"id":"{{i}}","method":"POST","url":"runs","headers":{"Content-Type":"application/json"},"body":{{Run}}}""")) + "]}";
var batched = await MeasureAsync(runs / BatchSize, async _ =>
{
    using var response = await http.PostAsync("$batch", new StringContent(batchBody, Encoding.UTF8, "application/json"));
    var text = await response.Content.ReadAsStringAsync();
    return response.IsSuccessStatusCode ? CountOccurrences(text, "\"status\":201") : 0;
});

Console.WriteLine($"| mode | runs created | seconds | runs/s |");
Console.WriteLine($"|---|---:|---:|---:|");
Console.WriteLine($"| single POST /runs | {single.Created} | {single.Seconds:0.0} | {single.Created / single.Seconds:0} |");
Console.WriteLine($"| $batch of {BatchSize} | {batched.Created} | {batched.Seconds:0.0} | {batched.Created / batched.Seconds:0} |");
Console.WriteLine($"ratio batch/single: {batched.Created / batched.Seconds / (single.Created / single.Seconds):0.0}x ({clients} concurrent clients)");
return single.Created == runs && batched.Created == runs / BatchSize * BatchSize ? 0 : 1;

async Task<(int Created, double Seconds)> MeasureAsync(int requests, Func<int, Task<int>> send)
{
    var created = 0;
    var clock = Stopwatch.StartNew();
    await Parallel.ForEachAsync(Enumerable.Range(0, requests), new ParallelOptions { MaxDegreeOfParallelism = clients }, async (i, _) =>
        Interlocked.Add(ref created, await send(i)));
    return (created, clock.Elapsed.TotalSeconds);
}

static int CountOccurrences(string text, string value)
{
    var count = 0;
    for (var index = text.IndexOf(value, StringComparison.Ordinal); index >= 0; index = text.IndexOf(value, index + 1, StringComparison.Ordinal))
    {
        count++;
    }

    return count;
}
