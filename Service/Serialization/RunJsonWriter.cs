using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using IndustryData.OData.Model;
using IndustryData.OData.Model.Errors;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Runs;

namespace IndustryData.OData.Service.Serialization;

/// <summary>
/// Writes runs as OData JSON with minimal metadata, byte for byte what the OData serializer writes for the same
/// response (ODataSerializerParityTests compares the two), at a fraction of its cost: the stock serializer builds a
/// resource context, an OData path and a property bag per entity and per nested value.
/// Property order follows the stock serializer: declared primitive and enum properties in declaration order, then
/// open members, then complex properties in declaration order.
/// </summary>
public static class RunJsonWriter
{
    // The OData writer's escaping (shared with what is stored), so strings come out exactly as it escapes them.
    public static readonly JsonWriterOptions Options = new() { Encoder = CompactJson.Options.Encoder, SkipValidation = true };

    public static void WriteEntity(Utf8JsonWriter writer, string contextUrl, Run run)
    {
        writer.WriteStartObject();
        writer.WriteString("@odata.context"u8, contextUrl);
        WriteRunMembers(writer, run);
        writer.WriteEndObject();
    }

    /// <summary>A run with its own context URL and only the <paramref name="selected"/> properties (null: all), e.g. inside $all.</summary>
    public static void WriteEntity(Utf8JsonWriter writer, string contextUrl, Run run, IReadOnlySet<string>? selected)
    {
        writer.WriteStartObject();
        writer.WriteString("@odata.context"u8, contextUrl);
        WriteRunMembers(writer, run, selected);
        writer.WriteEndObject();
    }

    /// <summary>The collection's opening, up to the start of its value array.</summary>
    public static void WriteCollectionStart(Utf8JsonWriter writer, string contextUrl, long? count)
    {
        writer.WriteStartObject();
        writer.WriteString("@odata.context"u8, contextUrl);
        if (count is { } total)
        {
            writer.WriteNumber("@odata.count"u8, total);
        }

        writer.WriteStartArray("value"u8);
    }

    /// <summary>One run inside a collection's value array.</summary>
    public static void WriteCollectionItem(Utf8JsonWriter writer, Run run)
    {
        writer.WriteStartObject();
        WriteRunMembers(writer, run);
        writer.WriteEndObject();
    }

    public static void WriteCollectionEnd(Utf8JsonWriter writer, Uri? nextLink)
    {
        writer.WriteEndArray();
        if (nextLink is not null)
        {
            writer.WriteString("@odata.nextLink"u8, nextLink.AbsoluteUri);
        }

        writer.WriteEndObject();
    }

    /// <summary>One run inside a collection, with only the <paramref name="selected"/> properties (and its type, ETag and id).</summary>
    public static void WriteCollectionItem(Utf8JsonWriter writer, Run run, IReadOnlySet<string>? selected)
    {
        writer.WriteStartObject();
        WriteRunMembers(writer, run, selected);
        writer.WriteEndObject();
    }

    private static void WriteRunMembers(Utf8JsonWriter writer, Run run, IReadOnlySet<string>? selected = null)
    {
        writer.WriteString("@odata.type"u8, "#" + RunTypeNames.Of(run));
        writer.WriteString("@odata.etag"u8, RunETags.For(run));
        writer.WriteString("id"u8, run.Id);
        if (Selected(selected, "displayName"))
        {
            writer.WriteString("displayName"u8, run.DisplayName);
        }

        if (Selected(selected, "endDateTime"))
        {
            WriteDateTimeOffset(writer, "endDateTime"u8, run.EndDateTime);
        }

        if (Selected(selected, "startDateTime"))
        {
            WriteDateTimeOffset(writer, "startDateTime"u8, run.StartDateTime);
        }

        if (Selected(selected, "status"))
        {
            writer.WriteString("status"u8, RunStatusNames.ToWireName(run.Status));
        }

        if (Selected(selected, "blockingError"))
        {
            writer.WritePropertyName("blockingError"u8);
            WritePublicError(writer, run.BlockingError);
        }

        if (!Selected(selected, "statistics"))
        {
            return;
        }

        writer.WritePropertyName("statistics"u8);
        if (run.Statistics.UnchangedStoredJson is { } stored)
        {
            // Stored compacted by the same encoder, member by member: exactly the object the members would write.
            // Validated on the way out (a reader pass, no allocations): a damaged column fails the request, as parsing
            // it did, instead of sending a malformed body.
            writer.WriteRawValue(stored, skipInputValidation: false);
            return;
        }

        writer.WriteStartObject();
        WriteOpenMembers(writer, run.Statistics);
        writer.WriteEndObject();
    }

    private static bool Selected(IReadOnlySet<string>? selected, string property) => selected is null || selected.Contains(property);

    private static void WritePublicError(Utf8JsonWriter writer, PublicError? error)
    {
        if (error is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("code"u8, error.Code);
        writer.WriteString("message"u8, error.Message);
        writer.WriteString("target"u8, error.Target);
        WriteDetails(writer, error.Details);
        writer.WritePropertyName("innerError"u8);
        if (error.InnerError is { } inner)
        {
            writer.WriteStartObject();
            writer.WriteString("code"u8, inner.Code);
            writer.WriteString("message"u8, inner.Message);
            writer.WriteString("target"u8, inner.Target);
            WriteOpenMembers(writer, inner);
            WriteDetails(writer, inner.Details);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteEndObject();
    }

    /// <summary>A collection of complex values is never null on the wire: the stock serializer writes a missing one as [].</summary>
    private static void WriteDetails(Utf8JsonWriter writer, IList<PublicErrorDetail>? details)
    {
        writer.WriteStartArray("details"u8);
        foreach (var detail in details ?? [])
        {
            writer.WriteStartObject();
            writer.WriteString("code"u8, detail.Code);
            writer.WriteString("message"u8, detail.Message);
            writer.WriteString("target"u8, detail.Target);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Open members go out as the JSON the client sent (stored compacted and validated on the way in).</summary>
    private static void WriteOpenMembers(Utf8JsonWriter writer, IOpenJsonMembers open)
    {
        foreach (var (name, value) in open.OpenMembers)
        {
            writer.WritePropertyName(name);
            writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(value), skipInputValidation: true);
        }
    }

    private static void WriteDateTimeOffset(Utf8JsonWriter writer, ReadOnlySpan<byte> name, DateTimeOffset? value)
    {
        if (value is not { } moment)
        {
            writer.WriteNull(name);
            return;
        }

        Span<char> text = stackalloc char[40];
        writer.WriteString(name, text[..Format(moment, text)]);
    }

    /// <summary>The OData wire form: seconds always, fractional digits only as many as needed, Z for UTC.</summary>
    private static int Format(DateTimeOffset moment, Span<char> text)
    {
        moment.TryFormat(text, out var length, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        if (moment.Offset == TimeSpan.Zero)
        {
            text[length++] = 'Z';
            return length;
        }

        moment.TryFormat(text[length..], out var zone, "zzz", CultureInfo.InvariantCulture);
        return length + zone;
    }
}
