namespace IndustryData.OData.Bench.Baseline;

/// <summary>microsoft.graph.industryData.runStatus on the wire and in the status column (the service's numbering).</summary>
internal static class RunStatuses
{
    public const int UnknownFutureValue = 5;

    private static readonly string[] Names = ["running", "failed", "completed", "completedWithErrors", "completedWithWarnings", "unknownFutureValue"];

    public static string Name(int status) => status >= 0 && status < Names.Length ? Names[status] : status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static int? Parse(string? name)
    {
        var index = name is null ? -1 : Array.IndexOf(Names, name);
        return index < 0 ? null : index;
    }
}
