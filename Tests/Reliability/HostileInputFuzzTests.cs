using System.Diagnostics;
using System.Net.Http.Headers;
using CsCheck;
using IndustryData.OData.Tests.Infrastructure;
using IndustryData.OData.Tests.Reliability.Fuzz;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IndustryData.OData.Tests.Reliability;

/// <summary>
/// Thousands of generated malformed and adversarial requests (CsCheck generators, a fixed seed) against the
/// in-memory service with a write token: never a 5xx, every error in the Graph shape, never a stack trace, and the
/// data unchanged except by the writes that legitimately succeeded. INDUSTRYDATA_FUZZ_CASES and
/// INDUSTRYDATA_FUZZ_SEED change the run; a failure names the seed and the case to repeat it.
/// </summary>
public class HostileInputFuzzTests
{
    private const int ProtectedRuns = 3;
    private const int ExpendableRuns = 3;

    [Test]
    [CancelAfter(3_600_000)]
    public async Task Hostile_requests_get_well_formed_4xx_and_change_nothing_they_should_not()
    {
        var logs = new CapturedLogs();
        await using var database = new SqliteTestDatabase();
        await using var host = new ServiceHost(database, new Dictionary<string, string?> { ["Throttling:PermitsPerWindow"] = "1000000000" }, logging =>
        {
            logging.ClearProviders();
            logging.AddProvider(logs);
        });
        using var client = host.CreateClient();
        using var writer = host.CreateAuthorizedClient();

        var protectedRuns = new List<(string Id, string Json)>();
        for (var i = 0; i < ProtectedRuns; i++)
        {
            var id = (string)(await writer.CreateRunAsync(i % 2 == 0 ? RunBodies.ApiPageExample() : RunBodies.Incoming()))["id"]!;
            protectedRuns.Add((id, (await writer.GetJsonAsync($"runs('{id}')")).ToJsonString()));
        }

        var expendable = new List<string>();
        for (var i = 0; i < ExpendableRuns; i++)
        {
            expendable.Add((string)(await writer.CreateRunAsync(RunBodies.Outgoing()))["id"]!);
        }

        var seed = ReliabilitySettings.FuzzSeed;
        var cases = ReliabilitySettings.FuzzCases;
        var generator = new HostileRequests(protectedRuns.Select(r => r.Id).ToList(), expendable).Any;
        var random = new PCG(1, seed);
        var histogram = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        var createdIds = new HashSet<string>(StringComparer.Ordinal);
        var deleted = 0;
        var token = TestTokens.Write();
        var clock = Stopwatch.StartNew();
        for (var index = 0; index < cases; index++)
        {
            var request = generator.Generate(random, null, out _);
            logs.Drain();
            var answer = await SendAsync(client, request, token);
            var key = answer.Thrown is not null ? "threw" : answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            histogram[key] = histogram.GetValueOrDefault(key) + 1;
            if (request.Method == "POST" && answer.Status is >= 200 and < 300 && CreatedId(answer.Response!) is { } id)
            {
                createdIds.Add(id);
            }

            deleted += request.Method == "DELETE" && answer.Status is >= 200 and < 300 ? 1 : 0;
            var problems = FuzzOracle.Problems(request, answer).ToList();
            if (problems.Count > 0 && failures.Count < 20)
            {
                failures.Add($"case {index} (seed {seed}): {string.Join("; ", problems)}\n{request}\n{string.Join("\n", logs.Drain())}");
            }

            answer.Response?.Dispose();
        }

        var seeded = ProtectedRuns + ExpendableRuns;
        var created = createdIds.Count;
        var storedRuns = await host.WithDbAsync(db => db.Runs.AsNoTracking().ToListAsync());
        var stored = storedRuns.Count;
        var explained = protectedRuns.Select(r => r.Id).Concat(expendable).Concat(createdIds).ToHashSet(StringComparer.Ordinal);
        var unexplained = storedRuns.Where(run => !explained.Contains(run.Id)).Select(run => $"{run.Id} {run.GetType().Name} '{run.DisplayName}' {run.Status}").ToList();
        TestContext.Out.WriteLine($"fuzz: {cases} hostile requests (seed {seed}) in {clock.Elapsed.TotalSeconds:0.0} s; statuses {string.Join(", ", histogram.Select(h => $"{h.Key}: {h.Value}"))}");
        TestContext.Out.WriteLine($"  legitimate writes: {created} creates, {deleted} deletes; runs stored {stored} = {seeded} seeded + {created} - {deleted}");
        Assert.That(failures, Is.Empty, string.Join("\n\n", failures));
        Assert.That(unexplained, Is.Empty, "runs stored by requests that were not answered with a create");
        foreach (var (id, json) in protectedRuns)
        {
            Assert.That((await writer.GetJsonAsync($"runs('{id}')")).ToJsonString(), Is.EqualTo(json), $"protected run {id} changed");
        }

        Assert.That(stored, Is.EqualTo(seeded + created - deleted), "a refused request stored or removed something");
    }

    /// <summary>The new run's id from Location (runs('id')), for a create that succeeded.</summary>
    private static string? CreatedId(HttpResponseMessage response)
    {
        var location = response.Headers.Location?.ToString();
        var start = location?.LastIndexOf("('", StringComparison.Ordinal) ?? -1;
        return start < 0 ? null : location![(start + 2)..^2];
    }

    private static async Task<FuzzResponse> SendAsync(HttpClient client, HostileRequest request, string token)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(request.Url, UriKind.Relative));
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.ContentType = null;
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }

        foreach (var (name, value) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (!message.Headers.Contains("Authorization"))
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        try
        {
            var response = await client.SendAsync(message);
            return new FuzzResponse(response, await response.Content.ReadAsStringAsync(), null);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new FuzzResponse(null, string.Empty, exception);
        }
    }
}
