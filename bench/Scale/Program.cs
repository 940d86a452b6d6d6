using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IndustryData.OData.Bench.Scale;
using Microsoft.Data.Sqlite;

// bench/scale.sh passes: the published service binary, a work folder, the sizes, the output file, the port.
var binary = args[0];
var work = args[1];
var sizes = args[2].Split(',').Select(size => int.Parse(size, CultureInfo.InvariantCulture)).ToArray();
var output = args[3];
var port = int.Parse(args[4], CultureInfo.InvariantCulture) is > 0 and var given ? given : FreePort();
var requests = int.Parse(Environment.GetEnvironmentVariable("REQUESTS") ?? "200", CultureInfo.InvariantCulture);
var loadSeconds = int.Parse(Environment.GetEnvironmentVariable("LOAD_SECONDS") ?? "10", CultureInfo.InvariantCulture);
var walkPages = int.Parse(Environment.GetEnvironmentVariable("WALK_PAGES") ?? "1000", CultureInfo.InvariantCulture);
var budget = TimeSpan.FromSeconds(4);
// CONTENTION_ONLY=1: seed, then only the by-key p99 with and without 8 clients of unindexed scans (a quick rerun of that figure).
var contentionOnly = Environment.GetEnvironmentVariable("CONTENTION_ONLY") == "1";
var latest = Seeder.Start + Seeder.Span;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var results = new Dictionary<(string Row, int Size), Latency>();
var figures = new Dictionary<(string Row, int Size), double>();
var rows = new List<string>();
void Record(string row, int size, Latency latency)
{
    if (!rows.Contains(row))
    {
        rows.Add(row);
    }

    results[(row, size)] = latency;
    Console.Error.WriteLine($"scale: {size,9:N0} runs  {row,-70} median {latency.MedianMs,8:F2} ms  p90 {latency.P90Ms,8:F2} ms  cpu {latency.CpuMsPerRequest,7:F2} ms/req  (n={latency.Requests})");
}

var planLines = new StringBuilder();
foreach (var size in sizes)
{
    var database = Path.Combine(work, $"runs-{size}.db");
    foreach (var file in Directory.GetFiles(work, $"runs-{size}.db*"))
    {
        File.Delete(file);
    }

    // The service creates and migrates the file; the rows go straight in while it is stopped.
    await (await ServiceUnderTest.StartAsync(binary, database, port)).DisposeAsync();
    var seeding = System.Diagnostics.Stopwatch.StartNew();
    Seeder.Seed(database, size);
    figures[("seed seconds", size)] = seeding.Elapsed.TotalSeconds;
    Console.Error.WriteLine($"scale: seeded {size:N0} runs in {seeding.Elapsed.TotalSeconds:F1} s");

    await using (var service = await ServiceUnderTest.StartAsync(binary, database, port))
    {
        var id = MiddleId(database);
        if (!contentionOnly)
        {
            // Every code path jitted and every page of the table read once before anything is timed.
            for (var round = 0; round < 20; round++)
            {
                foreach (var (_, url) in Shapes.For(size, latest))
                {
                    await Latency.GetOkAsync(service.Client, url);
                }
            }

            await WalkAsync(service, "runs?$orderby=startDateTime desc", 20);
            foreach (var (name, url) in Shapes.For(size, latest))
            {
                Record(name, size, await Latency.MeasureAsync(service, () => Latency.GetOkAsync(service.Client, url), requests, budget));
            }

            foreach (var (name, firstPage) in Shapes.CursorPages(latest))
            {
                if (await CursorPageAsync(service, firstPage) is { } cursorPage)
                {
                    await Latency.GetOkAsync(service.Client, cursorPage);
                    Record(name, size, await Latency.MeasureAsync(service, () => Latency.GetOkAsync(service.Client, cursorPage), requests, budget));
                }
            }

            Record("by key", size, await Latency.MeasureAsync(service, () => Latency.GetOkAsync(service.Client, $"runs('{id}')"), requests, budget));

            var (first, deep, deepest) = await WalkAsync(service, "runs?$orderby=startDateTime desc", walkPages);
            Record("nextLink walk ($orderby=startDateTime desc, pages of 100): pages 1-10", size, first);
            if (deep is not null)
            {
                Record($"nextLink walk: pages {deepest - 9}-{deepest}", size, deep);
            }

            // Delta: the first page, and a delta link with 100 changes behind it (the link can be read again and again).
            Record("delta(): first page of 100", size, await Latency.MeasureAsync(service, () => Latency.GetOkAsync(service.Client, "runs/delta()"), requests, budget));
            var deltaLink = await DeltaLinkAsync(service);
            for (var i = 0; i < 100; i++)
            {
                using var created = await service.Client.SendAsync(Load.Create());
            }

            Record("delta link with 100 changes since", size, await Latency.MeasureAsync(service, () => Latency.GetOkAsync(service.Client, deltaLink), requests, budget));

            var (reads, readFailures) = await Load.RunAsync(service.Client, 32, TimeSpan.FromSeconds(loadSeconds),
                () => new HttpRequestMessage(HttpMethod.Get, "runs?$filter=status eq 'completed'&$top=50"), HttpStatusCode.OK);
            figures[("GET status eq 'completed' $top=50 at 32 connections (req/s)", size)] = reads;
            var (creates, createFailures) = await Load.RunAsync(service.Client, 32, TimeSpan.FromSeconds(loadSeconds), Load.Create, HttpStatusCode.Created);
            figures[("POST /runs at 32 connections (req/s)", size)] = creates;
            var (withSearch, withoutSearch) = await SearchTriggerCost.MeasureAsync(service, database, TimeSpan.FromSeconds(loadSeconds));
            figures[("POST /runs with the search triggers ÷ without (32 connections, with/without/with)", size)] = withSearch / withoutSearch;
            if (readFailures + createFailures > 0)
            {
                throw new InvalidOperationException($"{readFailures} reads and {createFailures} creates failed under load at {size} runs.");
            }
        }

        var contention = await Contention.MeasureAsync(service, id, reads: 1000);
        figures[("by key p99 quiet (ms)", size)] = contention.QuietP99Ms;
        figures[($"by key p99 while 8 clients loop {Contention.ExpensiveQuery} (ms)", size)] = contention.LoadedP99Ms;
        figures[("by key p99 loaded ÷ quiet", size)] = contention.LoadedP99Ms / contention.QuietP99Ms;
        figures[("the 8 expensive clients: queries answered 200", size)] = contention.ExpensiveAnswered;
        figures[("the 8 expensive clients: queries refused (400 queryTooExpensive or 503 expensiveQueriesBusy)", size)] = contention.ExpensiveRefused;
        Console.Error.WriteLine($"scale: expensive clients at {size:N0}: {contention.ExpensiveAnswered} answered, {contention.ExpensiveRefused} refused, {contention.ExpensiveOther} other");
        if (contention.ExpensiveOther > 0)
        {
            throw new InvalidOperationException($"{contention.ExpensiveOther} expensive queries answered neither 200, 400 nor 503 at {size} runs.");
        }

        figures[("peak RSS (MiB)", size)] = service.PeakRssMiB;
    }

    // The same contention without the long-statement slots (Querying:LongStatementInstructions=0): the baseline.
    await using (var unslotted = await ServiceUnderTest.StartAsync(binary, database, port, environment: new Dictionary<string, string> { ["Querying__LongStatementInstructions"] = "0" }))
    {
        var contention = await Contention.MeasureAsync(unslotted, MiddleId(database), reads: 1000);
        figures[("without long-statement slots: by key p99 quiet (ms)", size)] = contention.QuietP99Ms;
        figures[("without long-statement slots: by key p99 while 8 clients loop the scan (ms)", size)] = contention.LoadedP99Ms;
        figures[("without long-statement slots: by key p99 loaded ÷ quiet", size)] = contention.LoadedP99Ms / contention.QuietP99Ms;
    }

    if (size == sizes.Max() && !contentionOnly)
    {
        planLines.Append(await PlansAsync(binary, database, port, size, id: MiddleId(database)));
    }
}

var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"Sizes: {string.Join(" and ", sizes.Select(size => size.ToString("N0", CultureInfo.InvariantCulture)))} runs; {requests} sequential requests per row after 5 warm-ups (at most {budget.TotalSeconds:F0} s each); growth = median at the largest size ÷ median at the smallest.");
report.AppendLine();
report.Append("| query |");
foreach (var size in sizes)
{
    report.Append(CultureInfo.InvariantCulture, $" {size:N0}: median ms | p90 ms | CPU ms/req |");
}

report.AppendLine(" growth |");
report.Append("|---|").Append(string.Concat(Enumerable.Repeat("---:|---:|---:|", sizes.Length))).AppendLine("---:|");
foreach (var row in rows)
{
    report.Append(CultureInfo.InvariantCulture, $"| {row} |");
    foreach (var size in sizes)
    {
        report.Append(results.TryGetValue((row, size), out var latency)
            ? string.Create(CultureInfo.InvariantCulture, $" {latency.MedianMs:F2} | {latency.P90Ms:F2} | {latency.CpuMsPerRequest:F2} |")
            : " — | — | — |");
    }

    report.AppendLine(results.TryGetValue((row, sizes.Min()), out var small) && results.TryGetValue((row, sizes.Max()), out var large)
        ? string.Create(CultureInfo.InvariantCulture, $" {large.MedianMs / small.MedianMs:F2}× |")
        : " — |");
}

report.AppendLine();
report.Append("| figure |").Append(string.Concat(sizes.Select(size => string.Create(CultureInfo.InvariantCulture, $" {size:N0} |")))).AppendLine(" ratio |");
report.Append("|---|").Append(string.Concat(Enumerable.Repeat("---:|", sizes.Length))).AppendLine("---:|");
foreach (var figure in figures.Keys.Select(key => key.Row).Distinct())
{
    report.Append(CultureInfo.InvariantCulture, $"| {figure} |");
    foreach (var size in sizes)
    {
        report.Append(CultureInfo.InvariantCulture, $" {figures[(figure, size)]:F1} |");
    }

    report.AppendLine(CultureInfo.InvariantCulture, $" {figures[(figure, sizes.Max())] / figures[(figure, sizes.Min())]:F2}× |");
}

report.AppendLine();
report.Append(planLines);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, report.ToString());
Console.WriteLine(report);
return 0;

static int FreePort()
{
    var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    var free = ((IPEndPoint)listener.LocalEndpoint).Port;
    listener.Stop();
    return free;
}

static string MiddleId(string database)
{
    using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
    connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = "SELECT id FROM runs ORDER BY id LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM runs)";
    return (string)command.ExecuteScalar()!;
}

// Follows next links; the latency of pages 1-10 and of the last ten pages reached (up to page `pages`).
static async Task<(Latency First, Latency? Deep, int Deepest)> WalkAsync(ServiceUnderTest service, string url, int pages)
{
    var times = new List<double>();
    var cpu = new List<double>();
    for (string? next = url; next is not null && times.Count < pages;)
    {
        var before = service.CpuTime;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var page = JsonNode.Parse(await service.Client.GetStringAsync(next))!;
        times.Add(clock.Elapsed.TotalMilliseconds);
        cpu.Add((service.CpuTime - before).TotalMilliseconds);
        next = (string?)page["@odata.nextLink"];
    }

    var first = Latency.FromTimes(times.Take(10).ToList(), cpu.Take(10).Average());
    return times.Count >= 20
        ? (first, Latency.FromTimes(times.TakeLast(10).ToList(), cpu.TakeLast(10).Average()), times.Count)
        : (first, null, times.Count);
}

// The next link of a list's first page read one run at a time; null when there is no second page.
static async Task<string?> CursorPageAsync(ServiceUnderTest service, string url)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, url);
    request.Headers.TryAddWithoutValidation("Prefer", "odata.maxpagesize=1");
    using var response = await service.Client.SendAsync(request);
    return (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["@odata.nextLink"];
}

// The delta link at the end of a first delta() walk (ids only, pages of 1,000).
static async Task<string> DeltaLinkAsync(ServiceUnderTest service)
{
    for (var next = "runs/delta()?$select=id"; ;)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, next);
        request.Headers.TryAddWithoutValidation("Prefer", "odata.maxpagesize=1000");
        using var response = await service.Client.SendAsync(request);
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if ((string?)page["@odata.deltaLink"] is { } deltaLink)
        {
            return deltaLink;
        }

        next = (string)page["@odata.nextLink"]!;
    }
}

// Each shape once more against a service that logs its SQL; then SQLite's plan of each command.
static async Task<string> PlansAsync(string binary, string database, int port, int size, string id)
{
    var log = Path.ChangeExtension(database, ".sql.log");
    var text = new StringBuilder();
    text.AppendLine(CultureInfo.InvariantCulture, $"SQLite plans at {size:N0} runs (EXPLAIN QUERY PLAN of the SQL the service sent; a cursor page shows its own query):");
    text.AppendLine();
    var shapes = Shapes.For(size, Seeder.Start + Seeder.Span).Append(("by key", $"runs('{id}')")).ToList();
    var sent = new List<(string Name, int Lines)>();
    await using (var service = await ServiceUnderTest.StartAsync(binary, database, port, log))
    {
        foreach (var (name, url) in shapes.Append(("nextLink walk, page 2", "runs?$orderby=startDateTime desc")))
        {
            var page = JsonNode.Parse(await service.Client.GetStringAsync(url))!;
            if (name.StartsWith("nextLink", StringComparison.Ordinal))
            {
                await service.Client.GetStringAsync((string)page["@odata.nextLink"]!);
            }

            await Task.Delay(300);
            sent.Add((name, File.ReadAllLines(log).Length));
        }
    }

    var lines = File.ReadAllLines(log);
    var from = 0;
    foreach (var (name, upTo) in sent)
    {
        var commands = Plans.CommandsIn(lines[from..Math.Min(upTo, lines.Length)]);
        from = upTo;
        text.AppendLine(CultureInfo.InvariantCulture, $"- {name}: {string.Join(" / ", commands.Select(sql => string.Join("; ", Plans.Explain(database, sql))).Distinct())}");
    }

    return text.ToString();
}
