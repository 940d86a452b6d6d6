using CsCheck;

namespace IndustryData.OData.Tests.Reliability.Fuzz;

/// <summary>
/// Paths, with {key} where a run's key goes: the set, casts (right, abstract, unknown), keys in parentheses and as
/// segments, property and $value/$ref paths, system resources, odd segments, encodings and a URL over the limit.
/// </summary>
public static class HostileUrls
{
    private const string Outgoing = "microsoft.graph.industryData.outgoingFlowRun";

    private static readonly string[] SetPaths =
    [
        "runs", "runs/", "RUNS", "Runs", "runs/$count", "runs/$count/$count", "runs/$ref", "runs/$value", "runs/" + Outgoing, "runs/microsoft.graph.industryData.incomingFlowRun",
        "runs/microsoft.graph.industryData.run", "runs/microsoft.graph.industryData.nope", "runs/" + Outgoing + "/$count", "runs/" + Outgoing + "/microsoft.graph.industryData.incomingFlowRun",
        "runs/microsoft.graph.publicError", "runs/Default.Bar", "runs/Default.Bar()", "runs/$filter(status eq 'x')", "runs/$each", "runs/$batch", "runs()", "runs('')",
        "$metadata", "$metadata#runs", "", "$batch", "$entity?$id=runs('x')", "$all", "$crossjoin(runs)", "health", "health/x", "runs%2F", "runs/../runs", "./runs",
        "runs;x=1", "runs/%ZZ", "runs/\u202E", "runs/%F0%9F%98%80", "runs/" + new string('a', 9000),
    ];

    private static readonly string[] KeyPaths =
    [
        "runs('{key}')", "runs({key})", "runs/{key}", "runs(id='{key}')", "runs('{key}')/" + Outgoing, "runs('{key}')/microsoft.graph.industryData.incomingFlowRun",
        "runs('{key}')/microsoft.graph.industryData.nope", "runs/" + Outgoing + "('{key}')", "runs('{key}')/displayName", "runs('{key}')/displayName/$value",
        "runs('{key}')/status/$value", "runs('{key}')/statistics", "runs('{key}')/blockingError/code", "runs('{key}')/$ref", "runs('{key}')/$value",
        "runs('{key}')/Default.Foo()", "runs('{key}',x)", "runs('{key}')/", "runs('{key}')/$count", "runs('{key}')?$filter=status eq 'x'",
    ];

    public static Gen<string> Set { get; } = Gen.OneOf(SetPaths);

    public static Gen<string> Key { get; } = Gen.OneOf(KeyPaths);

    /// <summary>Keys that match no run: malformed, quoted, encoded, huge.</summary>
    public static Gen<string> UnknownKey { get; } = Gen.Frequency(
        (3, Gen.Const("00000000-0000-7000-8000-000000000000")),
        (1, Gen.OneOf("", "'", "''", "x''y", "%27", "a%2Fb", "%ZZ", "1", "-1", "null", "$it", "*", " ", "\u202E", "\U0001F600", "\uFEFF", "a b", "a/b", "a?b", "a#b")),
        (1, Gen.OneOf(Gen.Const(37), Gen.Const(300), Gen.Const(9000)).Select(length => new string('k', length))));
}
