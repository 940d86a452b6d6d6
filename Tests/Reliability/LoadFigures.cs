using System.Globalization;

namespace IndustryData.OData.Tests.Reliability;

/// <summary>Status histogram and latency percentiles of a load run, as one printable line.</summary>
public static class LoadFigures
{
    public static string Statuses(IEnumerable<CreateOutcome> outcomes) => string.Join(", ", outcomes
        .GroupBy(o => o.Status?.ToString(CultureInfo.InvariantCulture) ?? "no response")
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => $"{g.Key}: {g.Count()}"));

    public static string Latency(IReadOnlyCollection<CreateOutcome> outcomes)
    {
        var sorted = outcomes.Select(o => o.Latency.TotalMilliseconds).Order().ToArray();
        if (sorted.Length == 0)
        {
            return "no requests";
        }

        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        return string.Create(CultureInfo.InvariantCulture, $"latency ms p50 {At(0.5):0.0}, p95 {At(0.95):0.0}, p99 {At(0.99):0.0}, max {sorted[^1]:0.0}");
    }
}
