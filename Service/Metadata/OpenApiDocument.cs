using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;

namespace IndustryData.OData.Service.Metadata;

/// <summary>
/// edm/industryData.openapi.json (generated from the CSDL, compiled in), served with its server URL set to the
/// request's service root. The document is split once around that URL; each service root's bytes and strong ETag are
/// computed on first use and kept (a bounded number of them: the Host header is the client's to choose).
/// </summary>
public sealed class OpenApiDocument
{
    private const string ResourceName = "industryData.openapi.json";
    private const string Placeholder = "\u0001service-root\u0001";
    private const int MaxCachedRoots = 64;

    // Indented like the committed file, and without escaping ' + < > (common in OData URLs and descriptions).
    private static readonly JsonSerializerOptions Writing = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string QuotedPlaceholder = JsonSerializer.Serialize(Placeholder, Writing);

    private readonly byte[] head;
    private readonly byte[] tail;
    private readonly ConcurrentDictionary<string, Rendering> renderings = new(StringComparer.Ordinal);

    public OpenApiDocument()
        : this(ReadResource())
    {
    }

    public OpenApiDocument(string json)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        document["servers"] = new JsonArray(new JsonObject { ["url"] = Placeholder });
        var template = document.ToJsonString(Writing) + "\n";
        var split = template.IndexOf(QuotedPlaceholder, StringComparison.Ordinal);
        head = Encoding.UTF8.GetBytes(template[..split]);
        tail = Encoding.UTF8.GetBytes(template[(split + QuotedPlaceholder.Length)..]);
    }

    public sealed record Rendering(byte[] Body, string ETag);

    /// <summary>The document whose only server is <paramref name="serviceRoot"/> (an absolute URL without a trailing slash).</summary>
    public Rendering For(string serviceRoot)
    {
        if (renderings.TryGetValue(serviceRoot, out var cached))
        {
            return cached;
        }

        var rendering = Render(serviceRoot);
        if (renderings.Count < MaxCachedRoots)
        {
            renderings.TryAdd(serviceRoot, rendering);
        }

        return rendering;
    }

    private Rendering Render(string serviceRoot)
    {
        var url = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(serviceRoot, Writing));
        var body = new byte[head.Length + url.Length + tail.Length];
        head.CopyTo(body, 0);
        url.CopyTo(body, head.Length);
        tail.CopyTo(body, head.Length + url.Length);
        return new Rendering(body, "\"" + Convert.ToHexString(SHA256.HashData(body).AsSpan(0, 12)).ToLowerInvariant() + "\"");
    }

    private static string ReadResource()
    {
        using var stream = typeof(OpenApiDocument).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not compiled into the service.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
