using System.Buffers;
using IndustryData.OData.Service.Errors;
using Microsoft.Net.Http.Headers;

namespace IndustryData.OData.Service.Runs;

/// <summary>Reads a JSON (or, for a raw value, text/plain) request body, enforcing the media type (415) and the size limit (413).</summary>
public static class RequestBody
{
    public const long MaxBytes = 1024 * 1024;

    public static Task<ReadOnlyMemory<byte>> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        CheckContentType(request);
        return ReadAsync(request, cancellationToken);
    }

    /// <summary>The raw value of a primitive (PUT …/$value, OData Protocol §11.4.9.1): text/plain, UTF-8.</summary>
    public static Task<ReadOnlyMemory<byte>> ReadTextAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase)
            || (mediaType.Charset.HasValue && !mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, "unsupportedMediaType",
                $"A raw value (…/$value) is sent as Content-Type: text/plain (UTF-8), not '{request.ContentType}'. Or PUT the property without /$value as application/json {{\"value\": …}}.");
        }

        return ReadAsync(request, cancellationToken);
    }

    private static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            throw TooLarge();
        }

        var buffer = new ArrayBufferWriter<byte>((int)Math.Clamp(request.ContentLength ?? 4096, 1, MaxBytes));
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var read = await request.Body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBytes)
            {
                throw TooLarge();
            }
        }
    }

    private static void CheckContentType(HttpRequest request)
    {
        const string expected = "Send Content-Type: application/json (optionally with charset=utf-8 and OData parameters such as odata.metadata=minimal).";
        if (string.IsNullOrEmpty(request.ContentType))
        {
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, "missingContentType", "The request has a body but no Content-Type. " + expected);
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.Charset.HasValue && !mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, "unsupportedMediaType", $"Content-Type '{request.ContentType}' is not supported. " + expected);
        }
    }

    private static ApiException TooLarge() => new(StatusCodes.Status413PayloadTooLarge, "requestBodyTooLarge",
        $"The request body is larger than {MaxBytes} bytes (1 MiB), the most this service accepts for a run. Send less statistics data per run.");
}
