namespace IndustryData.OData.Tests.Infrastructure;

/// <summary>
/// What a client sees of a response — status, every header but the per-request ones, body text — in a form that
/// compares by value, so two answers can be asserted equal.
/// </summary>
public sealed record Answer(int Status, string Headers, string Body)
{
    private static readonly HashSet<string> PerRequest = new(StringComparer.OrdinalIgnoreCase) { "request-id", "Date" };

    public static async Task<Answer> ReadAsync(HttpResponseMessage response)
    {
        var headers = response.Headers.Concat(response.Content.Headers)
            .Where(header => !PerRequest.Contains(header.Key))
            .Select(header => $"{header.Key}: {string.Join(", ", header.Value)}")
            .Order(StringComparer.OrdinalIgnoreCase);
        return new Answer((int)response.StatusCode, string.Join("\n", headers), await response.Content.ReadAsStringAsync());
    }

    public string Header(string name) => Headers.Split('\n')
        .Where(line => line.StartsWith(name + ": ", StringComparison.OrdinalIgnoreCase))
        .Select(line => line[(name.Length + 2)..])
        .SingleOrDefault() ?? string.Empty;
}
