using System.Text;
using IndustryData.OData.Service.Errors;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace IndustryData.OData.Service.Batch;

/// <summary>
/// OData multipart/mixed batch: application/http parts, and nested multipart/mixed change sets whose parts commit
/// together. A failed change set answers with the one failing response in place of the change set (OData 4.0 §11.7.4).
/// </summary>
public static class MultipartBatchFormat
{
    public const string MediaType = "multipart/mixed";

    public static async Task<IReadOnlyList<BatchPart>> ReadAsync(ReadOnlyMemory<byte> body, string contentType)
    {
        var parts = new List<BatchPart>();
        var reader = new MultipartReader(Boundary(contentType), new MemoryStream(body.ToArray()));
        var changeSets = 0;
        try
        {
            while (await reader.ReadNextSectionAsync() is { } section)
            {
                if (section.ContentType?.StartsWith(MediaType, StringComparison.OrdinalIgnoreCase) == true)
                {
                    var group = "changeset" + (++changeSets).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    var inner = new MultipartReader(Boundary(section.ContentType), section.Body);
                    while (await inner.ReadNextSectionAsync() is { } changeSetSection)
                    {
                        parts.Add(await ReadPartAsync(changeSetSection, parts.Count, group));
                    }
                }
                else
                {
                    parts.Add(await ReadPartAsync(section, parts.Count, null));
                }
            }
        }
        catch (IOException exception)
        {
            throw Invalid($"The multipart batch body is malformed: {exception.Message} Check the boundaries and that every part ends with CRLF.");
        }

        return parts;
    }

    private static async Task<BatchPart> ReadPartAsync(MultipartSection section, int index, string? group)
    {
        if (section.ContentType?.StartsWith("application/http", StringComparison.OrdinalIgnoreCase) != true)
        {
            throw Invalid($"Part {index + 1} has Content-Type '{section.ContentType}'; every batch part must be application/http (or a multipart/mixed change set).");
        }

        var id = section.Headers?.TryGetValue("Content-ID", out var contentId) == true ? contentId.ToString() : $"(part {index + 1})";
        using var buffer = new MemoryStream();
        await section.Body.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        var headerEnd = IndexOf(bytes, "\r\n\r\n"u8, out var separatorLength);
        if (headerEnd < 0)
        {
            throw Invalid($"Part {id} is not an HTTP request: it needs a request line, headers and an empty line before any body.");
        }

        var lines = Encoding.UTF8.GetString(bytes, 0, headerEnd).Split('\n').Select(line => line.TrimEnd('\r')).ToArray();
        var requestLine = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (requestLine.Length < 2)
        {
            throw Invalid($"Part {id} starts with '{lines[0]}', not with a request line such as 'POST runs HTTP/1.1'.");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1).Where(line => line.Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw Invalid($"Part {id} has the malformed header line '{line}'.");
            }

            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var content = bytes.AsMemory(headerEnd + separatorLength);
        return new BatchPart { Id = id, Method = requestLine[0].ToUpperInvariant(), Url = requestLine[1], Headers = headers, Body = content, AtomicityGroup = group };
    }

    private static int IndexOf(byte[] bytes, ReadOnlySpan<byte> separator, out int length)
    {
        var crlf = bytes.AsSpan().IndexOf(separator);
        var lf = bytes.AsSpan().IndexOf("\n\n"u8);
        (var index, length) = crlf >= 0 && (lf < 0 || crlf < lf) ? (crlf, 4) : (lf, 2);
        return index;
    }

    public static string NewBoundary(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N");

    public static async Task WriteAsync(Stream output, string boundary, IReadOnlyList<BatchPartResponse> responses, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        using var writer = new MemoryStream();
        foreach (var unit in responses.GroupBy(response => response.Part.AtomicityGroup ?? "\0" + response.Part.Id).Select(group => group.ToList()))
        {
            Append(writer, $"--{boundary}\r\n");
            var group = unit[0].Part.AtomicityGroup;
            var failed = unit.FirstOrDefault(response => !response.Succeeded && response.Status != StatusCodes.Status424FailedDependency)
                ?? unit.FirstOrDefault(response => !response.Succeeded);
            if (group is null || failed is not null)
            {
                WriteResponse(writer, failed ?? unit[0], contentId: group is null ? null : failed!.Part.Id);
                continue;
            }

            var changeSet = NewBoundary("changesetresponse");
            Append(writer, $"Content-Type: multipart/mixed; boundary={changeSet}\r\n\r\n");
            foreach (var response in unit)
            {
                Append(writer, $"--{changeSet}\r\n");
                WriteResponse(writer, response, response.Part.Id);
            }

            Append(writer, $"--{changeSet}--\r\n");
        }

        Append(writer, $"--{boundary}--\r\n");
        writer.Position = 0;
        await writer.CopyToAsync(output, cancellationToken);
    }

    private static void WriteResponse(MemoryStream writer, BatchPartResponse response, string? contentId)
    {
        Append(writer, "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n");
        if (contentId is not null)
        {
            Append(writer, $"Content-ID: {contentId}\r\n");
        }

        Append(writer, $"\r\nHTTP/1.1 {response.Status} {ReasonPhrases.GetReasonPhrase(response.Status)}\r\n");
        foreach (var (name, value) in response.Headers)
        {
            Append(writer, $"{name}: {value}\r\n");
        }

        Append(writer, "\r\n");
        writer.Write(response.Body);
        Append(writer, "\r\n");
    }

    private static void Append(MemoryStream writer, string text) => writer.Write(Encoding.UTF8.GetBytes(text));

    private static string Boundary(string contentType)
    {
        var boundary = MediaTypeHeaderValue.TryParse(contentType, out var mediaType) ? HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value : null;
        return string.IsNullOrWhiteSpace(boundary)
            ? throw Invalid($"Content-Type '{contentType}' has no boundary parameter; send e.g. 'multipart/mixed; boundary=batch_36522ad7'.")
            : boundary;
    }

    private static ApiException Invalid(string message) => ApiException.BadRequest("invalidBatch", message);
}
