using System.Globalization;

namespace IndustryData.OData.Tests.Reliability;

/// <summary>
/// Sizes of the reliability runs. CI gets short, bounded runs; INDUSTRYDATA_SOAK=1 makes them long, and the fuzz
/// test's case count and seed can be set on their own.
/// </summary>
public static class ReliabilitySettings
{
    public static bool Soak => Environment.GetEnvironmentVariable("INDUSTRYDATA_SOAK") is "1" or "true";

    public static int FuzzCases => Number("INDUSTRYDATA_FUZZ_CASES") ?? (Soak ? 100_000 : 3_000);

    /// <summary>A number, so a run can be repeated exactly.</summary>
    public static ulong FuzzSeed => ulong.TryParse(Environment.GetEnvironmentVariable("INDUSTRYDATA_FUZZ_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var seed)
        ? seed
        : 20261129;

    public static int ConcurrentCreates => Soak ? 50_000 : 2_000;

    public static int CrashCycles => Soak ? 10 : 1;

    /// <summary>How long the mixed write load runs: INDUSTRYDATA_MIXED_SECONDS, else 30 s in a soak and 8 s in CI.</summary>
    public static TimeSpan MixedLoadDuration => TimeSpan.FromSeconds(Number("INDUSTRYDATA_MIXED_SECONDS") ?? (Soak ? 30 : 8));

    private static int? Number(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
}
