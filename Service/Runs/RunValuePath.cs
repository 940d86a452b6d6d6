using System.Text.Json;
using IndustryData.OData.Model.Errors;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Serialization;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Runs;

/// <summary>
/// The value a path into a run's complex property addresses (<see cref="RunValuePathTemplate"/>), read from the run
/// exactly as GET writes it, so a member comes back as the client stored it. A null on the way (blockingError is null,
/// a member is null) is a null value (204); a dynamic member the value does not have, or a member of a primitive or an
/// array, is not there (404): OData Protocol §11.2.6 answers 204 for a property whose value is null and 404 for one
/// that is not available, and an absent member of statistics is a different thing from one stored as null.
/// </summary>
public sealed class RunValuePath
{
    private RunValuePath(ODataPath path, JsonElement? value, IList<PublicErrorDetail>? details)
    {
        Path = path;
        Value = value;
        Details = details;
    }

    public ODataPath Path { get; }

    /// <summary>The value; null when it is null.</summary>
    public JsonElement? Value { get; }

    /// <summary>For blockingError/details and blockingError/innerError/details: the typed items, in the order of <see cref="Value"/>.</summary>
    public IList<PublicErrorDetail>? Details { get; }

    public bool IsRawValue => Path.LastSegment is ValueSegment;

    public bool IsCount => Path.LastSegment is CountSegment;

    /// <summary>Whether the path ends in a collection of declared type, which takes query options.</summary>
    public static bool IsDetails(ODataPath path) =>
        path.Where(segment => segment is not CountSegment).LastOrDefault() is PropertySegment { Property.Type: var type } && type.IsCollection();

    public static RunValuePath Resolve(ODataPath path, Run run)
    {
        var members = path.SkipWhile(segment => segment is not PropertySegment).Where(segment => segment is PropertySegment or DynamicPathSegment).ToList();
        JsonElement current = Entity(run);
        var walked = new List<string>();
        foreach (var segment in members)
        {
            var name = segment.Identifier;
            if (current.ValueKind == JsonValueKind.Null)
            {
                return new RunValuePath(path, null, null);
            }

            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out var next))
            {
                throw ApiException.NotFound(walked.Count == 0
                    ? $"The run has no '{name}'."
                    : $"{string.Join('/', walked)} has no member '{name}'. GET {string.Join('/', walked)} to see the members it has.");
            }

            walked.Add(name);
            current = next;
        }

        if (current.ValueKind == JsonValueKind.Null)
        {
            return new RunValuePath(path, null, null);
        }

        var details = IsDetails(path)
            ? (walked.Contains("innerError") ? run.BlockingError?.InnerError?.Details : run.BlockingError?.Details) ?? []
            : null;
        return new RunValuePath(path, current, details);
    }

    /// <summary>The context URL of the value (OData JSON Format §10.15): the run's path, then the property path.</summary>
    public string ContextUrl(string serviceRoot, string? selectList = null)
    {
        var url = new System.Text.StringBuilder(serviceRoot).Append("/$metadata#");
        foreach (var segment in Path)
        {
            _ = segment switch
            {
                EntitySetSegment set => url.Append(set.EntitySet.Name),
                TypeSegment cast => url.Append('/').Append(cast.EdmType.AsElementType().FullTypeName()),
                KeySegment key => url.Append("('").Append(Uri.EscapeDataString(key.Keys.Single().Value.ToString()!.Replace("'", "''", StringComparison.Ordinal))).Append("')"),
                PropertySegment or DynamicPathSegment => url.Append('/').Append(segment.Identifier),
                _ => url,
            };
        }

        return selectList is null ? url.ToString() : url.Append('(').Append(selectList).Append(')').ToString();
    }

    /// <summary>The run as GET writes it (every property, values as stored).</summary>
    internal static JsonElement Entity(Run run)
    {
        using var buffer = new PooledBufferWriter(4096);
        using (var writer = new Utf8JsonWriter(buffer, RunJsonWriter.Options))
        {
            RunJsonWriter.WriteEntity(writer, string.Empty, run);
        }

        return JsonElement.Parse(buffer.WrittenMemory.Span);
    }
}
