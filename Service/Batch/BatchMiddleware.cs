using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Protocol;
using Microsoft.Net.Http.Headers;

namespace IndustryData.OData.Service.Batch;

/// <summary>POST {service root}/$batch in either OData format; each part then runs through the whole pipeline.</summary>
public sealed class BatchMiddleware(RequestDelegate next, BatchExecutor executor, PathString serviceRoot)
{
    public const long MaxBodyBytes = 4 * 1024 * 1024;

    private readonly PathString batchPath = serviceRoot.Add("/$batch");

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.Equals(batchPath, StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        if (context.Items.ContainsKey(SubRequest.Marker))
        {
            throw ApiException.BadRequest("nestedBatch", "A batch cannot contain another $batch request. Put its requests in this batch instead.");
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            throw new ApiException(StatusCodes.Status405MethodNotAllowed, "methodNotAllowed", $"$batch accepts only POST, not {context.Request.Method}.")
            {
                Headers = { [HeaderNames.Allow] = "POST" },
            };
        }

        var contentType = context.Request.ContentType ?? string.Empty;
        var body = await ReadBodyAsync(context.Request);
        if (contentType.StartsWith(MultipartBatchFormat.MediaType, StringComparison.OrdinalIgnoreCase))
        {
            var responses = await executor.ExecuteAsync(context, await MultipartBatchFormat.ReadAsync(body, contentType), serviceRoot);
            var boundary = MultipartBatchFormat.NewBoundary("batchresponse");
            Respond(context, $"multipart/mixed; boundary={boundary}");
            await MultipartBatchFormat.WriteAsync(context.Response.Body, boundary, responses, context.RequestAborted);
        }
        else if (contentType.StartsWith(JsonBatchFormat.MediaType, StringComparison.OrdinalIgnoreCase))
        {
            var responses = await executor.ExecuteAsync(context, JsonBatchFormat.Read(body), serviceRoot);
            Respond(context, "application/json; odata.metadata=minimal; charset=utf-8");
            await JsonBatchFormat.WriteAsync(context.Response.Body, responses, context.RequestAborted);
        }
        else
        {
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, "unsupportedMediaType",
                $"Content-Type '{contentType}' is not a batch format. Send application/json (JSON batch) or multipart/mixed; boundary=... (multipart batch).");
        }
    }

    private static void Respond(HttpContext context, string contentType)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        context.Response.Headers["OData-Version"] = "4.0";
        if (Preferences.ContinueOnError(context.Request))
        {
            Preferences.AppliedAsStated(context, "continue-on-error");
        }
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                throw TooLarge();
            }
        }

        return buffer.ToArray();
    }

    private static ApiException TooLarge() => new(StatusCodes.Status413PayloadTooLarge, "requestBodyTooLarge",
        $"The batch body is larger than {MaxBodyBytes / (1024 * 1024)} MiB. Split it into several batches.");
}
