using CsCheck;

namespace IndustryData.OData.Tests.Reliability.Fuzz;

/// <summary>Raw JSON values for each property of a run: the right ones, near misses, wrong types and hostile text.</summary>
public static class HostileValues
{
    public static readonly string[] RunTypes =
    [
        "#microsoft.graph.industryData.outgoingFlowRun", "#microsoft.graph.industryData.incomingFlowRun",
        "microsoft.graph.industryData.outgoingFlowRun",
    ];

    private static readonly string[] WrongTypes = ["null", "true", "false", "0", "-1", "1.5", "1e999", "-0", "123456789012345678901234567890", "[]", "{}", "[null]", "{\"a\":1}", "\"\""];

    private static readonly string[] TypeNames =
    [
        "#microsoft.graph.industryData.run", "#microsoft.graph.entity", "#microsoft.graph.publicError", "#microsoft.graph.industryData.runStatistics",
        "#microsoft.graph.industryData.runStatus", "#Edm.String", "#", "", "#MICROSOFT.GRAPH.INDUSTRYDATA.OUTGOINGFLOWRUN",
        "#microsoft.graph.industryData.outgoingFlowRun ", "##microsoft.graph.industryData.outgoingFlowRun", "#microsoft.graph.industryData.",
        "#microsoft.graph.industryData.incomingFlowRun\u0000", "#Collection(microsoft.graph.industryData.outgoingFlowRun)",
    ];

    private static readonly string[] DateTimes =
    [
        "2026-01-31T09:30:00Z", "2026-01-31T09:30:00.1234567+01:00", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z",
        "2026-01-01T23:59:60Z", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00-14:00", "9999-12-31T23:59:59-01:00",
        "9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.9999999-00:01", "2026-01-01T00:00:00", "2026-01-01", "2026-01-01T00:00:00.12345678Z",
        "+002026-01-01T00:00:00Z", "2026-01-01T00:00:00+14:01", "2026-01-01T00:00:00+25:00", "2026-01-01T00:00:00z", "2026-01-01 00:00:00Z",
        " 2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z ", "\uFF12\uFF10\uFF12\uFF16-01-01T00:00:00Z", "yesterday", "1767225600", "-2026-01-01T00:00:00Z",
        "2026-W01-1T00:00:00Z", "2026-001T00:00:00Z", "20260101T000000Z", "2026-01-01T00:00Z", "2026-01-01T00:00:00+0100", "2026-01-01T00:00:00GMT",
    ];

    private static readonly string[] Statuses =
    [
        "running", "failed", "completed", "completedWithErrors", "completedWithWarnings", "unknownFutureValue", "Completed", "COMPLETED",
        "2", "0", "5", "-1", "running,failed", " completed", "completed ", "completed\u0000", "", "microsoft.graph.industryData.runStatus'completed'",
        "c\u00F6mpleted", "completedWithWarnings2", "unknown",
    ];

    public static Gen<string> AnyText { get; } = HostileText.Any.Select(text => JsonText.Quote(text));

    public static Gen<string> WrongType { get; } = Gen.OneOf(WrongTypes);

    public static Gen<string> ODataType { get; } = Gen.Frequency(
        (6, Gen.OneOf(RunTypes).Select(t => JsonText.Quote(t))),
        (3, Gen.OneOf(TypeNames).Select(t => JsonText.Quote(t))),
        (1, AnyText),
        (1, WrongType));

    public static Gen<string> DisplayName { get; } = Gen.Frequency(
        (3, Gen.Const("\"Nightly export\"")),
        (4, AnyText),
        (1, Gen.OneOf(Gen.Const(256), Gen.Const(257), Gen.Int[0, 3]).Select(length => JsonText.Quote(new string('n', length)))),
        (1, WrongType));

    public static Gen<string> DateTime { get; } = Gen.Frequency(
        (6, Gen.OneOf(DateTimes).Select(d => JsonText.Quote(d))),
        (1, AnyText),
        (1, WrongType));

    public static Gen<string> Status { get; } = Gen.Frequency(
        (6, Gen.OneOf(Statuses).Select(s => JsonText.Quote(s))),
        (1, AnyText),
        (1, WrongType));

    public static Gen<string> Id { get; } = Gen.Frequency(
        (2, Gen.Const("\"00000000-0000-0000-0000-000000000000\"")),
        (2, AnyText),
        (1, WrongType));

    /// <summary>Any JSON value, nested up to <paramref name="depth"/> levels, for the open statistics and innerError.</summary>
    public static Gen<string> Open(int depth) => depth <= 0
        ? Gen.OneOf(WrongType, AnyText)
        : Gen.Frequency(
            (4, Gen.OneOf(WrongType, AnyText)),
            (1, Gen.Select(MemberName, Open(depth - 1)).Array[0, 4].Select(members => JsonText.Object(members))),
            (1, Open(depth - 1).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")));

    /// <summary>Member names for open types, including the ones OData reserves (@, ., :) and empty ones.</summary>
    public static Gen<string> MemberName { get; } = Gen.Frequency(
        (4, Gen.OneOf("rowsRead", "rowsWritten", "durationSeconds", "perEntity", "a")),
        (2, Gen.OneOf("", " ", "a.b", "@odata.type", "a@b.c", "odata.type", "a:b", "@", "$value", "__proto__", "constructor", "a\u0000b")),
        (2, HostileText.Any));

    public static Gen<string> Statistics { get; } = Gen.Frequency(
        (3, Gen.Select(MemberName, Open(2)).Array[0, 6].Select(members => JsonText.Object(members))),
        (1, Gen.Const("{\"@odata.type\":\"#microsoft.graph.industryData.runStatistics\"}")),
        (1, ODataType.Select(type => "{\"@odata.type\":" + type + ",\"rowsRead\":1}")),
        (1, WrongType));

    private static Gen<string> ErrorMember { get; } = Gen.Frequency(
        (3, AnyText),
        (2, WrongType),
        (1, Gen.Select(Gen.OneOf("code", "message", "target", "bogus"), AnyText).Array[0, 3].Select(members => "[" + JsonText.Object(members) + "]")),
        (1, Gen.Select(MemberName, Open(2)).Array[0, 4].Select(members => JsonText.Object(members))));

    public static Gen<string> BlockingError { get; } = Gen.Frequency(
        (2, Gen.Const("null")),
        (3, Gen.Select(Gen.OneOf("code", "message", "target", "details", "innerError", "@odata.type", "unknown", "code@odata.type"), ErrorMember).Array[0, 5]
            .Select(members => JsonText.Object(members))),
        (1, WrongType));
}
