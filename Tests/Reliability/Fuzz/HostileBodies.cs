using System.Text;
using CsCheck;

namespace IndustryData.OData.Tests.Reliability.Fuzz;

/// <summary>
/// Request bodies: runs whose members are drawn from <see cref="HostileValues"/> (sometimes valid), the same text
/// corrupted (truncated, spliced, wrongly encoded), JSON that is not an object, deep nesting, random bytes, empty
/// bodies and bodies over the size limit.
/// </summary>
public static class HostileBodies
{
    private static readonly string[] Splices =
        ["{", "}", "[", "]", ",", ":", "\"", "'", "\\", "/*x*/", "//x\n", "\u0000", "\u0007", "NaN", "Infinity", "undefined", "\n", "0x10", "01", ",,", "\"a\":"];

    private static readonly byte[][] BadUtf8 = [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC3], [0xE2, 0x82], [0xEF, 0xBB, 0xBF]];

    public static Gen<string> Run { get; } = Members().SelectMany(Arrange).Select(members => JsonText.Object(members));

    /// <summary>A valid run with one member drawn from <see cref="HostileValues"/>: often still valid, so writes succeed too.</summary>
    public static Gen<string> NearlyValidRun { get; } = Gen.Int[0, 8].SelectMany(fuzzed => Members(fuzzed)).Select(members => JsonText.Object(members));

    public static Gen<byte[]> Any { get; } = Gen.Frequency(
        (8, NearlyValidRun.Select(Utf8)),
        (10, Run.Select(Utf8)),
        (4, Run.SelectMany(Corrupt)),
        (2, NonObject()),
        (1, Deep()),
        (1, Gen.Byte.Array[1, 300]),
        (1, Gen.OneOf("", " ", "\n\t ", "\u00A0", "\uFEFF").Select(Utf8)),
        (1, Huge()));

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static Gen<(string, string)[]> Members(int fuzzed)
    {
        (string Name, string Valid, Gen<string> Hostile)[] members =
        [
            ("@odata.type", "\"#microsoft.graph.industryData.outgoingFlowRun\"", HostileValues.ODataType),
            ("displayName", "\"Nightly export\"", HostileValues.DisplayName),
            ("startDateTime", "\"2026-01-31T09:30:00Z\"", HostileValues.DateTime),
            ("endDateTime", "null", HostileValues.DateTime),
            ("status", "\"completed\"", HostileValues.Status),
            ("statistics", "{\"rowsRead\":1}", HostileValues.Statistics),
            ("blockingError", "null", HostileValues.BlockingError),
            ("id", "\"x\"", HostileValues.Id),
            ("unknown", "1", HostileValues.AnyText),
        ];
        return members[fuzzed].Hostile.Select(value => members
            .Where((member, index) => index < 7 || index == fuzzed)
            .Select((member, index) => (member.Name, member.Name == members[fuzzed].Name ? value : member.Valid))
            .ToArray());
    }

    private static Gen<(string, string)[]> Members()
    {
        Gen<(string, string)[]>[] parts =
        [
            Maybe(92, HostileValues.ODataType.Select(v => ("@odata.type", v))),
            Maybe(90, HostileValues.DisplayName.Select(v => ("displayName", v))),
            Maybe(90, HostileValues.DateTime.Select(v => ("startDateTime", v))),
            Maybe(60, Gen.Frequency((1, Gen.Const("null")), (3, HostileValues.DateTime)).Select(v => ("endDateTime", v))),
            Maybe(90, HostileValues.Status.Select(v => ("status", v))),
            Maybe(88, HostileValues.Statistics.Select(v => ("statistics", v))),
            Maybe(40, HostileValues.BlockingError.Select(v => ("blockingError", v))),
            Maybe(8, HostileValues.Id.Select(v => ("id", v))),
            Maybe(6, Gen.Select(Gen.OneOf("DisplayName", "unknown", "displayName@odata.type", "@odata.etag", "@odata.context", "@odata.id", "@x.y", "odata.type", ""), HostileValues.AnyText)),
        ];
        return parts.Aggregate((all, next) => Gen.Select(all, next, (a, b) => a.Concat(b).ToArray()));
    }

    private static Gen<(string, string)[]> Maybe(int percent, Gen<(string, string)> member) =>
        Gen.Int[0, 99].SelectMany(roll => roll < percent ? member.Select(m => new[] { m }) : Gen.Const(Array.Empty<(string, string)>()));

    /// <summary>Sometimes shuffled, sometimes with a member repeated.</summary>
    private static Gen<(string, string)[]> Arrange((string, string)[] members) => members.Length == 0
        ? Gen.Const(members)
        : Gen.Int[0, 9].SelectMany(roll => roll switch
        {
            0 => Gen.Int[0, members.Length - 1].Select(i => members.Append(members[i]).ToArray()),
            1 or 2 => Gen.Shuffle(members),
            _ => Gen.Const(members),
        });

    private static Gen<byte[]> Corrupt(string text) => Gen.Int[0, 8].SelectMany(kind => kind switch
    {
        0 => Gen.Int[0, text.Length].Select(at => Utf8(text[..at])),
        1 => Gen.Select(Gen.Int[0, text.Length], Gen.OneOf(Splices)).Select((at, splice) => Utf8(text.Insert(at, splice))),
        2 => Gen.Int[0, Math.Max(0, text.Length - 1)].Select(at => Utf8(text.Length == 0 ? text : text.Remove(at, 1))),
        3 => Gen.Const(Utf8(text + text)),
        4 => Gen.Const(Utf8(text.Replace('"', '\''))),
        5 => Gen.Select(Gen.Int[0, text.Length], Gen.OneOf(BadUtf8)).Select((at, bad) => Utf8(text[..at]).Concat(bad).Concat(Utf8(text[at..])).ToArray()),
        6 => Gen.Const(Encoding.Unicode.GetBytes(text)),
        7 => Gen.Const(Utf8(text.Length > 1 ? text[..^1] + ",}" : text)),
        _ => Gen.Const(Utf8("\uFEFF" + text)),
    });

    private static Gen<byte[]> NonObject() => Gen.OneOf(
        Gen.OneOf("[]", "\"run\"", "123", "null", "true", "[{}]", "{}", "{\"\":\"\"}", "\"\\ud800\"", "[\"@odata.type\"]").Select(Utf8),
        Run.Select(run => Utf8("[" + run + "]")));

    private static Gen<byte[]> Deep() => Gen.Select(Gen.OneOf(20, 31, 32, 33, 64, 1_000, 100_000), Gen.Bool, Gen.Bool).Select((depth, arrays, inStatistics) =>
    {
        var nested = arrays ? JsonText.Nested(depth, "[", "]", "1") : JsonText.Nested(depth, "{\"a\":", "}", "1");
        return Utf8(inStatistics
            ? "{\"@odata.type\":\"#microsoft.graph.industryData.outgoingFlowRun\",\"displayName\":\"d\",\"startDateTime\":\"2026-01-01T00:00:00Z\",\"status\":\"running\",\"statistics\":{\"deep\":" + nested + "}}"
            : nested);
    });

    private static Gen<byte[]> Huge() => Gen.OneOf(
        Gen.Const(1_100_000).Select(n => Utf8("{\"@odata.type\":\"#microsoft.graph.industryData.outgoingFlowRun\",\"displayName\":\"" + new string('x', n) + "\"}")),
        Gen.Const(60_000).Select(n => Utf8("{\"statistics\":{" + string.Join(",", Enumerable.Range(0, n).Select(i => $"\"m{i}\":{i}")) + "}}")),
        Gen.Const(300_000).Select(n => Utf8("{\"displayName\":\"" + string.Concat(Enumerable.Repeat("\\u0000", n)) + "\"}")));
}
