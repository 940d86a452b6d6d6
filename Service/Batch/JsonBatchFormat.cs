using System.Text;
using System.Text.Json;
using IndustryData.OData.Service.Errors;

namespace IndustryData.OData.Service.Batch;

/// <summary>OData 4.01 JSON batch: {"requests":[{id, method, url, headers, body, atomicityGroup, dependsOn}]} and {"responses":[...]}.</summary>
public static class JsonBatchFormat
{
    public const string MediaType = "application/json";

    public static IReadOnlyList<BatchPart> Read(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException exception)
        {
            throw Invalid($"The batch body is not valid JSON (line {exception.LineNumber + 1}, position {exception.BytePositionInLine + 1}).", null);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("requests", out var requests) || requests.ValueKind != JsonValueKind.Array)
            {
                throw Invalid("A JSON batch is an object with a \"requests\" array: {\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"runs\"}]}.", "requests");
            }

            return requests.EnumerateArray().Select((request, index) => ReadRequest(request, $"requests/{index}")).ToList();
        }
    }

    private static BatchPart ReadRequest(JsonElement request, string target)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{target} must be an object with id, method and url.", target);
        }

        string? id = null, method = null, url = null, group = null;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var dependsOn = new List<string>();
        ReadOnlyMemory<byte> body = default;
        JsonElement? bodyElement = null;
        foreach (var member in request.EnumerateObject())
        {
            switch (member.Name)
            {
                case "id":
                    id = String(member.Value, target + "/id");
                    break;
                case "method":
                    method = String(member.Value, target + "/method").ToUpperInvariant();
                    break;
                case "url":
                    url = String(member.Value, target + "/url");
                    break;
                case "atomicityGroup":
                    group = String(member.Value, target + "/atomicityGroup");
                    break;
                case "dependsOn":
                    if (member.Value.ValueKind != JsonValueKind.Array)
                    {
                        throw Invalid($"{target}/dependsOn must be an array of request ids.", target + "/dependsOn");
                    }

                    dependsOn.AddRange(member.Value.EnumerateArray().Select(item => String(item, target + "/dependsOn")));
                    break;
                case "headers":
                    if (member.Value.ValueKind != JsonValueKind.Object)
                    {
                        throw Invalid($"{target}/headers must be an object of header names and string values.", target + "/headers");
                    }

                    foreach (var header in member.Value.EnumerateObject())
                    {
                        headers[header.Name] = String(header.Value, $"{target}/headers/{header.Name}");
                    }

                    break;
                case "body":
                    bodyElement = member.Value.Clone();
                    break;
                default:
                    throw Invalid($"'{member.Name}' is not a member of a batch request. Use id, method, url, headers, body, atomicityGroup and dependsOn.", $"{target}/{member.Name}");
            }
        }

        if (id is null || method is null || url is null)
        {
            throw Invalid($"{target} needs id, method and url.", target);
        }

        if (bodyElement is { } element && element.ValueKind != JsonValueKind.Null)
        {
            var isJson = !headers.TryGetValue("Content-Type", out var contentType) || contentType.StartsWith(MediaType, StringComparison.OrdinalIgnoreCase);
            body = isJson || element.ValueKind != JsonValueKind.String ? Encoding.UTF8.GetBytes(element.GetRawText()) : Encoding.UTF8.GetBytes(element.GetString()!);
            headers.TryAdd("Content-Type", MediaType);
        }

        return new BatchPart { Id = id, Method = method, Url = url, Headers = headers, Body = body, AtomicityGroup = group, DependsOn = dependsOn };
    }

    public static async Task WriteAsync(Stream output, IReadOnlyList<BatchPartResponse> responses, CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(output, GraphErrorWriter.WriterOptions);
        json.WriteStartObject();
        json.WriteStartArray("responses");
        foreach (var response in responses)
        {
            json.WriteStartObject();
            json.WriteString("id", response.Part.Id);
            if (response.Part.AtomicityGroup is { } group)
            {
                json.WriteString("atomicityGroup", group);
            }

            json.WriteNumber("status", response.Status);
            json.WriteStartObject("headers");
            foreach (var (name, value) in response.Headers)
            {
                json.WriteString(name.ToLowerInvariant(), value);
            }

            json.WriteEndObject();
            WriteBody(json, response);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    private static void WriteBody(Utf8JsonWriter json, BatchPartResponse response)
    {
        if (response.Body.Length == 0)
        {
            return;
        }

        json.WritePropertyName("body");
        var contentType = response.Headers.GetValueOrDefault("Content-Type") ?? string.Empty;
        if (contentType.StartsWith(MediaType, StringComparison.OrdinalIgnoreCase))
        {
            json.WriteRawValue(response.Body, skipInputValidation: false);
        }
        else
        {
            json.WriteStringValue(Encoding.UTF8.GetString(response.Body));
        }
    }

    private static string String(JsonElement value, string target) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid($"{target} must be a string.", target);

    private static ApiException Invalid(string message, string? target) => ApiException.BadRequest("invalidBatch", message, target);
}
