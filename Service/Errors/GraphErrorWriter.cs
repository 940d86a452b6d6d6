using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using IndustryData.OData.Service.Telemetry;

namespace IndustryData.OData.Service.Errors;

/// <summary>Writes the one error body shape the service ever sends (contract §6).</summary>
public static class GraphErrorWriter
{
    public const string ContentType = "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8";

    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(HttpContext context, ApiException error)
    {
        ErrorTelemetry.Record(context, error);
        var response = context.Response;
        response.Clear();
        response.StatusCode = error.Status;
        foreach (var (name, value) in error.Headers)
        {
            response.Headers[name] = value;
        }

        RequestIds.Apply(context);
        response.ContentType = ContentType;
        response.Headers["OData-Version"] = "4.0";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        await using var json = new Utf8JsonWriter(response.Body, WriterOptions);
        Write(json, context, error);
        await json.FlushAsync(context.RequestAborted);
    }

    public static void Write(Utf8JsonWriter json, HttpContext context, ApiException error)
    {
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteString("code", StatusCodeNames.For(error.Status));
        json.WriteString("message", error.Message);
        if (error.Target is not null)
        {
            json.WriteString("target", error.Target);
        }

        json.WriteStartArray("details");
        var details = error.Details.Count > 0 ? error.Details : [new ErrorDetail(error.InnerCode, error.Message, error.Target)];
        foreach (var detail in details)
        {
            json.WriteStartObject();
            json.WriteString("code", detail.Code);
            json.WriteString("message", detail.Message);
            if (detail.Target is not null)
            {
                json.WriteString("target", detail.Target);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("innerError");
        json.WriteString("code", error.InnerCode);
        json.WriteString("request-id", RequestIds.RequestId(context));
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity)
        {
            json.WriteString("trace-id", activity.TraceId.ToHexString());
        }

        var clientRequestId = RequestIds.ClientRequestId(context);
        if (clientRequestId is not null)
        {
            json.WriteString("client-request-id", clientRequestId);
        }

        json.WriteString("date", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
