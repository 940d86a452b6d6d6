using CsCheck;

namespace IndustryData.OData.Tests.Reliability.Fuzz;

/// <summary>
/// Query strings: $filter built from OData tokens at random or from near-valid expressions the binder and the SQL
/// translation must survive, bad $top/$skip/$orderby/$select/$count values, unsupported and unknown options,
/// duplicates, aliases and broken percent-encoding. Values are URL-encoded unless the case is about encoding.
/// </summary>
public static class HostileQueries
{
    private static readonly string[] FilterTokens =
    [
        "status", "displayName", "startDateTime", "endDateTime", "id", "statistics", "statistics/rowsRead", "blockingError/code", "blockingError",
        "eq", "ne", "gt", "lt", "ge", "le", "and", "or", "not", "in", "has", "add", "sub", "mul", "div", "mod", "(", ")", ",", "/",
        "'completed'", "'x'", "'", "''", "null", "true", "1", "-1", "1.5", "1e999", "2147483648", "2026-01-01T00:00:00Z", "2026-13-01T00:00:00Z",
        "microsoft.graph.industryData.runStatus'completed'", "microsoft.graph.industryData.runStatus'nope'", "contains(displayName,'a')", "startswith(",
        "endswith(displayName,1)", "length(displayName)", "tolower(displayName)", "substring(displayName,1,2)", "year(startDateTime)", "now()",
        "cast($it,'microsoft.graph.industryData.outgoingFlowRun')", "cast('x')", "isof('microsoft.graph.industryData.incomingFlowRun')",
        "microsoft.graph.industryData.outgoingFlowRun/status", "$it", "$root", "$this", "any(x:x eq 1)", "@p", "duration'P1D'", "geo.distance(",
        "concat(displayName,'x')", "indexof(displayName,'a')", "round(1.5)", "date(startDateTime)", "time(startDateTime)", "maxdatetime()",
        "matchesPattern(displayName,'[')", "\u0000", "\U0001F600", "%", "$filter", "{", "}", "[", "]", ";", "&", "=",
    ];

    private static readonly string[] Filters =
    [
        "length(displayName) gt 3", "year(startDateTime) eq 2026", "displayName eq null", "endDateTime lt startDateTime", "status has microsoft.graph.industryData.runStatus'completed'",
        "status add 1 eq 2", "1 eq 1", "'a' eq 'a'", "id in ('a','b')", "status in ('completed','x')", "status in ()", "date(startDateTime) eq 2026-01-31",
        "time(startDateTime) lt 10:00:00", "now() gt startDateTime", "startDateTime add duration'P1D' gt now()", "substring(displayName,-1) eq 'a'",
        "substring(displayName,100000000000) eq ''", "$it/displayName eq 'x'", "contains(id,'0')", "tolower(status) eq 'completed'", "cast(displayName,Edm.Int32) eq 1",
        "cast(status,Edm.String) eq 'completed'", "isof($it,'microsoft.graph.industryData.runStatistics')", "round(length(displayName) div 0) eq 1",
        "length(displayName) mod 0 eq 1", "1 div 0 eq 1", "startDateTime sub endDateTime gt duration'PT1H'", "fractionalseconds(startDateTime) gt 0.1",
        "totaloffsetminutes(startDateTime) eq 0", "mindatetime() lt startDateTime", "statistics/rowsRead gt 1", "blockingError/code eq 'x'",
        "blockingError/details/any(d:d/code eq 'x')", "displayName eq @p", "status eq microsoft.graph.industryData.runStatus'unknownFutureValue'",
        "status gt 'completed'", "status gt microsoft.graph.industryData.runStatus'running'", "startDateTime eq 9999-12-31T23:59:59.9999999-01:00",
        "startDateTime gt 0001-01-01T00:00:00+01:00", "id eq 1", "displayName eq 1", "startDateTime eq 'x'", "endDateTime eq null or endDateTime ge startDateTime",
        "microsoft.graph.industryData.incomingFlowRun/displayName eq 'x'", "cast($it,'microsoft.graph.industryData.run') ne null", "cast($it,'Edm.String') eq null",
        "cast($it,'microsoft.graph.industryData.nope') ne null", "isof('microsoft.graph.industryData.nope')", "displayName eq 'x' and ((((((((((true))))))))))",
        "not not not not not true", "contains(displayName,'%')", "contains(displayName,'_')", "contains(displayName,'[a]')", "startswith(displayName,'\\')",
        "endswith(displayName,'''')", "trim(displayName) eq ''", "concat(concat(displayName,displayName),displayName) eq 'x'", "indexof(displayName,'') eq 0",
        "length(statistics) eq 1", "status eq 2", "status eq '2'", "status eq -1", "status eq 99", "hour(startDateTime) eq 25", "now() eq now()",
        "null", "not null", "true and null", "ceiling(1.5) eq 2", "floor(-1.5e308) eq 1", "2147483647 add 1 eq 0", "9223372036854775807 add 1 gt 0", "1.7976931348623157e308 mul 10 gt 0",
    ];

    private static readonly string[] OrderBys =
    [
        "displayName", "displayName desc", "displayName asc desc", "statistics", "blockingError", "blockingError/code", "foo", "status,status",
        "length(displayName)", "tolower(displayName) desc", "$it", "startDateTime desc,displayName,id,status,endDateTime,displayName", "", ",",
        "displayName desc desc", "cast($it,'microsoft.graph.industryData.outgoingFlowRun')/displayName", "microsoft.graph.industryData.outgoingFlowRun/displayName",
        "statistics/rowsRead", "1", "'x'", "null", "id desc", "endDateTime", "status desc,endDateTime asc",
    ];

    private static readonly string[] Numbers =
        ["-1", "0", "1", "1000", "1001", "2147483647", "2147483648", "-2147483649", "99999999999999999999", "abc", "", "1.5", "1 ", "+1", "0x10", "\u0661", "1e3", "01"];

    private static readonly string[] Selects =
    [
        "displayName", "*", "foo", "displayName,foo", "statistics/rowsRead", "microsoft.graph.industryData.outgoingFlowRun/displayName",
        "microsoft.graph.industryData.nope/x", "", ",", "id,id", "$ref", "blockingError/code", "displayName($select=x)", "@odata.etag", "statistics,blockingError",
        "microsoft.graph.industryData.outgoingFlowRun/*", "Default.*", "displayName/$value",
    ];

    private static readonly string[] Others =
    [
        "$expand=*", "$expand=*/$ref", "$expand=*($levels=max)", "$expand=statistics", "$expand=*($select=x)", "$expand=(", "$expand=blockingError/*", "$search=x", "$apply=aggregate(id with countdistinct as n)", "$compute=length(displayName) as n", "$levels=2", "$skiptoken=abc",
        "$deltatoken=1", "$format=xml", "$format=json", "$format=application/json;odata.metadata=full", "$format=atom", "$format=", "$schemaversion=1",
        "$index=1", "$foo=1", "$=1", "$$top=1", "$Top=1", "$FILTER=status eq 'failed'", "$top=1&$top=2", "$filter=&$filter=", "foo=bar", "=x", "&&&",
        "a[]=1", "@p=1", "$filter=@p&@p='x'", "$filter=displayName eq @p&@p=1", "$filter=displayName eq @q", "%24filter=status eq 'failed'", "%ZZ=1",
        "$filter=%ZZ", "$top=%00", "$filter=displayName eq 'a%00b'", "$count=true&$count=false", "$select=id&$select=displayName", "$id=runs('x')",
        "$filter=" + new string('(', 300) + "true" + new string(')', 300), "$filter=" + string.Join(" or ", Enumerable.Range(0, 120).Select(i => $"displayName eq 'n{i}'")),
    ];

    public static Gen<string> Any { get; } = Gen.Frequency(
        (3, Gen.Const(string.Empty)),
        (4, Filter().Select(f => "$filter=" + Uri.EscapeDataString(f))),
        (2, Gen.OneOf(OrderBys).Select(o => "$orderby=" + Uri.EscapeDataString(o))),
        (2, Gen.Select(Gen.OneOf("$top", "$skip", "$count"), Gen.OneOf(Numbers.Concat(["true", "false", "TRUE", "yes"]).ToArray())).Select((name, value) => name + "=" + Uri.EscapeDataString(value))),
        (1, Gen.OneOf(Selects).Select(s => "$select=" + Uri.EscapeDataString(s))),
        (2, Gen.OneOf(Others)),
        (2, Gen.Int[2, 4].SelectMany(count => Gen.OneOf(Filter().Select(f => "$filter=" + Uri.EscapeDataString(f)), Gen.OneOf(Others),
            Gen.OneOf(OrderBys).Select(o => "$orderby=" + Uri.EscapeDataString(o))).Array[count]).Select(parts => string.Join("&", parts))));

    private static Gen<string> Filter() => Gen.Frequency(
        (3, Gen.OneOf(Filters)),
        (3, Gen.OneOf(FilterTokens).Array[1, 12].Select(tokens => string.Join(" ", tokens))),
        (1, Gen.Select(Gen.OneOf(Filters), Gen.OneOf("and", "or"), Gen.OneOf(Filters)).Select((a, op, b) => $"({a}) {op} ({b})")));
}
