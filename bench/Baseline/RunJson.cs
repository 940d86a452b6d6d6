using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace IndustryData.OData.Bench.Baseline;

/// <summary>Writes runs in the service's OData JSON shape (minimal metadata: context, type and etag annotations).</summary>
internal static class RunJson
{
    public const string ContentType = "application/json; odata.metadata=minimal; charset=utf-8";
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteEntity(IBufferWriter<byte> output, string serviceRoot, StoredRun run)
    {
        using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        json.WriteString("@odata.context", $"{serviceRoot}/$metadata#runs/$entity");
        WriteProperties(json, run);
        json.WriteEndObject();
    }

    public static void WriteCollection(IBufferWriter<byte> output, string serviceRoot, List<StoredRun> runs, string? nextLink)
    {
        using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        json.WriteString("@odata.context", $"{serviceRoot}/$metadata#runs");
        json.WriteStartArray("value");
        foreach (var run in runs)
        {
            json.WriteStartObject();
            WriteProperties(json, run);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (nextLink is not null)
        {
            json.WriteString("@odata.nextLink", nextLink);
        }

        json.WriteEndObject();
    }

    public static string ETag(StoredRun run) => $"W/\"{run.Version}\"";

    private static void WriteProperties(Utf8JsonWriter json, StoredRun run)
    {
        json.WriteString("@odata.type", $"#microsoft.graph.industryData.{run.Type}");
        json.WriteString("@odata.etag", ETag(run));
        json.WriteString("id", run.Id);
        json.WriteString("displayName", run.DisplayName);
        if (run.EndDateTime is { } end)
        {
            json.WriteString("endDateTime", end);
        }
        else
        {
            json.WriteNull("endDateTime");
        }

        json.WriteString("startDateTime", run.StartDateTime);
        json.WriteString("status", RunStatuses.Name(run.Status));
        json.WritePropertyName("blockingError");
        if (run.BlockingError is { } error)
        {
            json.WriteRawValue(error);
        }
        else
        {
            json.WriteNullValue();
        }

        json.WritePropertyName("statistics");
        json.WriteRawValue(run.Statistics);
    }
}
