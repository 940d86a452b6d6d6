using CsCheck;

namespace IndustryData.OData.Tests.Reliability.Fuzz;

/// <summary>
/// Text that breaks careless code: unpaired surrogates, NUL and other control characters, direction overrides,
/// emoji and combining marks, byte-order marks, non-characters, SQL and script fragments, and very long strings.
/// Strings may hold lone surrogates; <see cref="JsonText.Quote"/> writes those as \u escapes.
/// </summary>
public static class HostileText
{
    private static readonly string[] Oddities =
    [
        "\uD800", "\uDFFF", "\uDBFF\uDBFF", "\uDC00\uD800", "\0", "\u0001", "\u001F", "\u007F", "\u0085", "\u2028", "\u2029",
        "\u202E", "\u200F", "\u200E", "\u200B", "\u200D", "\uFEFF", "\uFFFE", "\uFFFF", "\U0001F600", "\U0001F44D\U0001F3FD",
        "e\u0301\u0301\u0301", "\u0627\u0644\u0639\u0631\u0628\u064A\u0629", "\u4E2D\u6587", "\u0130\u0131", "\u00DF", "\uFF10\uFF11",
        "'", "''", "\"", "\\", "/", "%", "%00", "%ZZ", "' OR '1'='1", "'); DROP TABLE runs; --", "<script>", "${jndi:x}", "{{7*7}}",
        "\r\n", "\t", " ", "@odata.type", "$filter", "null", "true", "NaN", "-0", "1e999",
    ];

    public static Gen<string> Any { get; } = Gen.Frequency(
        (6, Gen.OneOf(Oddities)),
        (4, Mixed()),
        (2, Gen.String[Gen.Char, 0, 40]),
        (1, Gen.OneOf(Gen.Const(257), Gen.Int[250, 300], Gen.Const(10_000)).Select(length => new string('x', length))),
        (1, Gen.Int[1, 400].Select(count => string.Concat(Enumerable.Repeat("\U0001F600", count)))));

    /// <summary>Ordinary letters with oddities spliced in.</summary>
    private static Gen<string> Mixed() =>
        Gen.OneOf(Gen.OneOf(Oddities), Gen.String[Gen.Char["abcXYZ019 -_.:"], 1, 8]).Array[1, 6].Select(parts => string.Concat(parts));
}
