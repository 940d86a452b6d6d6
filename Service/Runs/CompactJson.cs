using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace IndustryData.OData.Service.Runs;

/// <summary>
/// Open members are kept as the client's JSON, but without its insignificant whitespace, so a value reads the same
/// in the 201 response as in every later GET. Numbers keep their exact text; strings are not re-escaped.
/// </summary>
public static class CompactJson
{
    /// <summary>
    /// The escaping of every JSON this service stores or writes for runs: the OData writer's (relaxed). Stored values
    /// are passed on to responses as they are, so the two must never differ.
    /// </summary>
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// An open object's members in the form the store keeps (and the run writer passes on): compact, with names and
    /// strings escaped as the OData writer escapes them, members in the order given.
    /// </summary>
    public static string Object(IEnumerable<KeyValuePair<string, JsonElement>> members) => Text(writer =>
    {
        writer.WriteStartObject();
        foreach (var (name, value) in members)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }

        writer.WriteEndObject();
    });

    /// <summary>What <paramref name="write"/> writes, as compact JSON text.</summary>
    public static string Text(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static JsonElement Of(JsonElement element)
    {
        if (element.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            return element.Clone();
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            element.WriteTo(writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = RunPayloadReader.MaxDepth });
        return document.RootElement.Clone();
    }
}
