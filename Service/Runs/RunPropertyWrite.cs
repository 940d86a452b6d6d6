using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Errors;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Runs;

/// <summary>
/// A write to one property of a run, or to a value inside one (OData Protocol §11.4.9 "Managing Values and Properties
/// Directly"): PUT replaces the value (a primitive or collection as {"value": …}, a complex value as itself, …/$value as
/// text/plain), PATCH of a complex value changes only the members sent, DELETE sets the value to null (a member of the
/// open statistics is removed, a collection emptied). The run's top-level property after the write is built from the
/// stored value and read by <see cref="RunPayloadReader.ReadProperty"/>, so it passes exactly the checks of a PATCH of the
/// run carrying it (<see cref="RunRules.SetProperty"/>).
/// </summary>
public sealed class RunPropertyWrite
{
    private static readonly string[] ControlMembers = ["@odata.context", "@context", "@odata.etag", "@etag", "@odata.null", "@null"];

    private readonly IEdmStructuralProperty property;
    private readonly List<ODataPathSegment> inner;

    private RunPropertyWrite(string method, IEdmStructuralProperty property, List<ODataPathSegment> inner, bool isRawValue)
    {
        Method = method;
        this.property = property;
        this.inner = inner;
        IsRawValue = isRawValue;
        TargetType = inner.Count == 0 ? property.Type : (inner[^1] as PropertySegment)?.Property.Type;
        Target = string.Join('/', [property.Name, .. inner.Select(segment => segment.Identifier)]);
    }

    public string Method { get; }

    /// <summary>…/$value: the body is the raw value as text/plain.</summary>
    public bool IsRawValue { get; }

    /// <summary>The path of the value written, from the run (displayName, blockingError/code, statistics/perEntity).</summary>
    public string Target { get; }

    /// <summary>PUT and DELETE replace the value; PATCH of a primitive reads as a PATCH of the run (unknownFutureValue: unchanged).</summary>
    public bool Replaces => !HttpMethods.IsPatch(Method);

    public bool HasBody => !HttpMethods.IsDelete(Method);

    /// <summary>The declared type of the value written; null for a member of an open type (statistics, innerError).</summary>
    private IEdmTypeReference? TargetType { get; }

    private bool IsDynamic => TargetType is null;

    public static RunPropertyWrite Of(ODataPath path, string method)
    {
        var segments = path.SkipWhile(segment => segment is not PropertySegment).ToList();
        if (segments[^1] is CountSegment)
        {
            throw new ApiException(StatusCodes.Status405MethodNotAllowed, "methodNotAllowed",
                "/$count is computed from a collection and cannot be written. Write the collection itself, e.g. PUT …/blockingError/details with {\"value\": […]}.");
        }

        var top = (PropertySegment)segments[0];
        var inner = segments.Skip(1).Where(segment => segment is PropertySegment or DynamicPathSegment).ToList();
        var write = new RunPropertyWrite(method, top.Property, inner, segments[^1] is ValueSegment);
        var setsNull = HttpMethods.IsDelete(method) && write.TargetType?.IsCollection() != true;
        RunRules.CheckPropertyWrite(top.Property.Name, write.Target, setsNull, write.TargetType?.IsNullable ?? true);
        if (HttpMethods.IsPatch(method) && write.TargetType?.IsCollection() == true)
        {
            throw ApiException.BadRequest("patchOfCollection",
                $"PATCH does not apply to a collection ({write.Target}): its items have no identity (OData Protocol §11.4.9.4). PUT the whole collection as {{\"value\": […]}}, or DELETE it to empty it.",
                write.Target);
        }

        if (write.IsRawValue && write.HasBody && write.IsDynamic)
        {
            throw ApiException.BadRequest("rawValueOfDynamicMember",
                $"{write.Target} is a member of an open type, so a raw text value has no type to be read as. PUT it without /$value as application/json, e.g. {{\"value\": 42}}.",
                write.Target);
        }

        return write;
    }

    public Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken) =>
        IsRawValue ? RequestBody.ReadTextAsync(request, cancellationToken) : RequestBody.ReadJsonAsync(request, cancellationToken);

    /// <summary>The value the request sends (null for null, and for DELETE), checked for form before the run is read.</summary>
    public JsonNode? ReadValue(ReadOnlyMemory<byte> body)
    {
        if (!HasBody)
        {
            return TargetType?.IsCollection() == true ? new JsonArray() : null;
        }

        if (IsRawValue)
        {
            return JsonValue.Create(RawText(body));
        }

        using (RunPayloadReader.Parse(body))
        {
            // Structure, depth and Unicode are checked there; the node below is the same JSON.
        }

        var root = JsonNode.Parse(body.Span, documentOptions: new JsonDocumentOptions { MaxDepth = RunPayloadReader.MaxDepth });
        if (root is JsonObject annotated && (IsSet(annotated, "@odata.null") || IsSet(annotated, "@null")))
        {
            // {"@odata.null": true}: OData JSON 4.0's way to send a null value (4.01 also "@null").
            return null;
        }

        if (TargetType is { } type && !type.IsStructured())
        {
            return WrappedValue(root);
        }

        if (IsDynamic && root is JsonObject candidate && Members(candidate).SequenceEqual(["value"]))
        {
            return WrappedValue(root);
        }

        if (root is JsonObject value)
        {
            foreach (var name in ControlMembers)
            {
                value.Remove(name);
            }
        }

        return root;
    }

    /// <summary>The run's property as it will be after the write, read and checked as that property of a run body.</summary>
    public RunPayload Apply(Run run, JsonNode? value)
    {
        var current = Stored(run);
        JsonNode? updated;
        if (inner.Count == 0)
        {
            updated = Changed(current, value);
        }
        else
        {
            updated = current ?? new JsonObject();
            var parent = updated as JsonObject ?? throw NoMember(property.Name, inner[0].Identifier);
            var walked = property.Name;
            foreach (var segment in inner.Take(inner.Count - 1))
            {
                var child = parent[segment.Identifier];
                if (child is null)
                {
                    child = new JsonObject();
                    parent[segment.Identifier] = child;
                }

                walked += "/" + segment.Identifier;
                parent = child as JsonObject ?? throw NoMember(walked, inner[inner.IndexOf(segment) + 1].Identifier);
            }

            var name = inner[^1].Identifier;
            if (!HasBody && IsDynamic)
            {
                // A missing dynamic property is the same as one that is null (§11.4.9.2): it is removed.
                parent.Remove(name);
            }
            else
            {
                parent[name] = Changed(parent[name]?.DeepClone(), value);
            }
        }

        using var document = Document(updated);
        return RunPayloadReader.ReadProperty(property.Name, document.RootElement);
    }

    /// <summary>PATCH of a complex value merges the members sent into it; otherwise the value sent replaces it.</summary>
    private JsonNode? Changed(JsonNode? current, JsonNode? value)
    {
        if (!HttpMethods.IsPatch(Method) || current is not JsonObject stored || value is not JsonObject sent)
        {
            return value;
        }

        foreach (var (name, member) in sent.ToList())
        {
            stored[name] = member?.DeepClone();
        }

        return stored;
    }

    /// <summary>{"value": …}, the JSON form of a primitive or collection (OData JSON Format §7); annotations may come along.</summary>
    private JsonNode? WrappedValue(JsonNode? root)
    {
        if (root is not JsonObject members || !members.TryGetPropertyValue("value", out var value) || Members(members).Any(name => name != "value"))
        {
            throw ApiException.BadRequest("invalidRequestBody",
                $"A write to {Target} sends the new value as a JSON object with one member, value (OData JSON Format §7), e.g. {{\"value\": {Example()}}}.",
                Target);
        }

        members.Remove("value");
        return value;
    }

    private string Example() => TargetType switch
    {
        null => "42",
        { } type when type.IsCollection() => "[]",
        { } type when type.IsDateTimeOffset() => "\"2026-01-31T09:30:00Z\"",
        { } type when type.IsEnum() => "\"completed\"",
        _ => "\"text\"",
    };

    private static bool IsSet(JsonObject value, string annotation) =>
        value.TryGetPropertyValue(annotation, out var flag) && flag is JsonValue set && set.TryGetValue<bool>(out var isSet) && isSet;

    private static IEnumerable<string> Members(JsonObject value) =>
        value.Select(member => member.Key).Where(name => !name.Contains('@', StringComparison.Ordinal));

    private string RawText(ReadOnlyMemory<byte> body)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body.Span);
        }
        catch (DecoderFallbackException)
        {
            throw ApiException.BadRequest("invalidString", $"The raw value of {Target} is not valid UTF-8 text. Send UTF-8.", Target);
        }
    }

    private JsonNode? Stored(Run run) =>
        RunValuePath.Entity(run).TryGetProperty(property.Name, out var value) ? JsonNode.Parse(value.GetRawText()) : null;

    private JsonDocument Document(JsonNode? value)
    {
        try
        {
            return JsonDocument.Parse(value?.ToJsonString() ?? "null", new JsonDocumentOptions { MaxDepth = RunPayloadReader.MaxDepth - 1 });
        }
        catch (JsonException)
        {
            throw ApiException.BadRequest("jsonTooDeep",
                $"With this value the run would nest objects and arrays more than {RunPayloadReader.MaxDepth} levels deep. Send a flatter value for {Target}.", Target);
        }
    }

    private static ApiException NoMember(string walked, string name) =>
        ApiException.NotFound($"{walked} is not an object, so it has no member '{name}'. GET {walked} to see its value.");
}
