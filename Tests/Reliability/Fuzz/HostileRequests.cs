using CsCheck;

namespace IndustryData.OData.Tests.Reliability.Fuzz;

/// <summary>
/// Whole requests: a method, a path aimed at the set, a seeded run or no run, a query, headers and a body. Writes to
/// protected runs always carry an If-Match that cannot match, so whatever the body, they must not change anything.
/// </summary>
public sealed class HostileRequests(IReadOnlyList<string> protectedIds, IReadOnlyList<string> expendableIds)
{
    private static readonly string[] Methods = ["GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS", "TRACE", "MERGE", "FOO", "get", "CONNECT"];

    public const string StaleETag = "W/\"0\"";

    public Gen<HostileRequest> Any => Gen.Frequency((8, Anything()), (2, Writes()));

    /// <summary>Writes to the right places with the right media type and nearly valid bodies, so many succeed.</summary>
    private Gen<HostileRequest> Writes() => Gen.Select(
            Gen.Frequency(
                (3, Gen.Select(Gen.OneOf("runs", "runs/microsoft.graph.industryData.outgoingFlowRun", "runs/microsoft.graph.industryData.incomingFlowRun"), Gen.Const(FuzzTarget.None))
                    .Select((path, target) => ("POST", (path, target)))),
                (2, Gen.Select(Gen.OneOf("PATCH", "PUT", "DELETE"), Gen.OneOf(expendableIds.ToArray()), Gen.Bool)
                    .Select((method, id, isProtected) => (method, isProtected ? ($"runs('{protectedIds[0]}')", FuzzTarget.Protected) : ($"runs('{id}')", FuzzTarget.Expendable))))),
            HostileHeaders.Any,
            HostileBodies.NearlyValidRun)
        .Select((write, headers, body) => Build(write.Item1, write.Item2, string.Empty, headers.Where(h => h.Name != "Authorization").ToArray(), "application/json", System.Text.Encoding.UTF8.GetBytes(body)));

    private Gen<HostileRequest> Anything() => Gen.Select(
            Gen.Frequency((40, Gen.Const("GET")), (25, Gen.Const("POST")), (12, Gen.Const("PATCH")), (8, Gen.Const("PUT")), (7, Gen.Const("DELETE")), (8, Gen.OneOf(Methods))),
            Path(),
            HostileQueries.Any,
            HostileHeaders.Any,
            Gen.Frequency((12, Gen.Const("application/json")), (3, Gen.OneOf(HostileHeaders.ContentTypes)), (1, Gen.Const<string?>((string?)null))),
            HostileBodies.Any)
        .Select((method, path, query, headers, contentType, body) => Build(method, path, query, headers, contentType, body));

    private Gen<(string Path, FuzzTarget Target)> Path() => Gen.Frequency(
        (4, HostileUrls.Set.Select(path => (path, FuzzTarget.None))),
        (2, Gen.Select(HostileUrls.Key, Gen.OneOf(protectedIds.ToArray())).Select((path, key) => (path.Replace("{key}", key, StringComparison.Ordinal), FuzzTarget.Protected))),
        (2, Gen.Select(HostileUrls.Key, Gen.OneOf(expendableIds.ToArray())).Select((path, key) => (path.Replace("{key}", key, StringComparison.Ordinal), FuzzTarget.Expendable))),
        (2, Gen.Select(HostileUrls.Key, HostileUrls.UnknownKey).Select((path, key) => (path.Replace("{key}", Uri.EscapeDataString(key), StringComparison.Ordinal), FuzzTarget.None))));

    private static HostileRequest Build(string method, (string Path, FuzzTarget Target) path, string query, (string Name, string Value)[] headers, string? contentType, byte[] body)
    {
        var url = "/" + path.Path + (query.Length == 0 ? string.Empty : (path.Path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query);
        var hasBody = method is not ("GET" or "HEAD" or "DELETE" or "OPTIONS" or "TRACE" or "get" or "CONNECT");
        var sent = headers.ToList();
        if (path.Target == FuzzTarget.Protected && method is not ("GET" or "HEAD" or "get"))
        {
            sent.RemoveAll(header => header.Name is "If-Match");
            sent.Add(("If-Match", StaleETag));
        }

        return new HostileRequest(method, url, sent, hasBody ? contentType : null, hasBody ? body : null, path.Target);
    }
}
