using CsCheck;

namespace IndustryData.OData.Tests.Reliability.Fuzz;

/// <summary>Request headers: media types, OData version caps, preconditions, Prefer, correlation ids and tokens, right and wrong.</summary>
public static class HostileHeaders
{
    public static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/json;odata.metadata=minimal;odata.streaming=true", "application/json; charset=latin1",
        "application/json; charset=\"utf-8\"", "application/json; charset=utf-16", "text/plain", "application/xml", "application/x-www-form-urlencoded",
        "multipart/mixed; boundary=x", "application/json;;;", "application/json; odata.metadata=full", "*/*", "application", "application/", "/json",
        "application/json; q=0.5", "APPLICATION/JSON", "application/json; charset=", "application/merge-patch+json", "application/json-patch+json", "text/json",
    ];

    private static readonly string[] Accepts =
    [
        "application/json", "application/xml", "text/html", "*/*", "application/json;odata.metadata=none", "application/json;odata.metadata=full",
        "application/json;IEEE754Compatible=true", "application/json;odata.streaming=false", "application/json;q=0", "garbage", "application/atom+xml",
        "text/plain", "application/json;odata.metadata=bogus", "application/json, text/plain;q=0.1", "",
    ];

    private static readonly string[] Versions = ["4.0", "4.01", "3.0", "5.0", "4", "abc", "", "-4", "1e9", "4.0.0", "99999999999999999999999999999999", "NaN", " 4.0 ", "4,0"];

    private static readonly string[] ETags =
    [
        "W/\"1\"", "\"1\"", "*", "W/\"abc\"", "junk", "W/", "W/\"1\", W/\"2\"", "\"\"", "W/\"-1\"", "W/\"99999999999999999999999\"", "W/\"1.5\"", "*, W/\"1\"",
        "W/\"" + new string('9', 5000) + "\"", "w/\"1\"", "W/'1'", "\"1", ",", "W/\"\\\"\"",
    ];

    private static readonly string[] Prefers =
    [
        "return=minimal", "return=representation", "return=foo", "odata.maxpagesize=0", "odata.maxpagesize=-1", "odata.maxpagesize=abc", "odata.maxpagesize=99999999999",
        "odata.maxpagesize=2147483648", "odata.maxpagesize", "odata.maxpagesize=10,odata.maxpagesize=20", "odata.include-annotations=*", "wait=abc",
        "odata.track-changes", ";;;", "=", "return=minimal, return=representation", "odata.maxpagesize=\"5\"", new string('p', 4000),
    ];

    private static readonly string[] Tokens =
        ["Bearer", "Bearer x", "Basic YTpi", "Bearer a.b.c", "bearer " + new string('a', 3000), string.Empty, "Bearer " + Infrastructure.TestTokens.Read()];

    /// <summary>Zero or more headers; Authorization, when drawn, replaces the write token.</summary>
    public static Gen<(string Name, string Value)[]> Any { get; } = Gen.Frequency(
        (8, Gen.Const("Accept").SelectMany(name => Gen.OneOf(Accepts).Select(value => (name, value)))),
        (3, Gen.OneOf("OData-MaxVersion", "OData-Version").SelectMany(name => Gen.OneOf(Versions).Select(value => (name, value)))),
        (3, Gen.OneOf("If-Match", "If-None-Match").SelectMany(name => Gen.OneOf(ETags).Select(value => (name, value)))),
        (3, Gen.Const("Prefer").SelectMany(name => Gen.OneOf(Prefers).Select(value => (name, value)))),
        (1, Gen.Const("client-request-id").SelectMany(name => Gen.OneOf("x", new string('c', 200), "a b", "\"q\"", "").Select(value => (name, value)))),
        (1, Gen.OneOf(("X-HTTP-Method-Override", "DELETE"), ("Content-Encoding", "gzip"), ("Content-Encoding", "br"), ("Expect", "100-continue"), ("Accept-Charset", "latin1"),
            ("Range", "bytes=0-1"), ("Accept-Encoding", "gzip"), ("Cookie", "a=b"), ("Origin", "http://localhost"), ("X-Forwarded-For", "127.0.0.1"))),
        (1, Gen.OneOf(Tokens).Select(value => ("Authorization", value))))
        .Array[0, 4];
}
