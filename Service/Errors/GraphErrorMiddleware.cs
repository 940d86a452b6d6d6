using System.Globalization;
using IndustryData.OData.Service.Hosting;
using IndustryData.OData.Service.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.OData;

namespace IndustryData.OData.Service.Errors;

/// <summary>
/// The one place where failures become responses: our own <see cref="ApiException"/>s, errors raised by the
/// OData stack (URI and query parsing), Kestrel's request limits, database faults (503 with Retry-After, or 507 when
/// its storage is full, see <see cref="DatabaseFaults"/>), and bare status codes from routing.
/// Nothing else in the service writes an error body.
/// </summary>
public sealed partial class GraphErrorMiddleware(RequestDelegate next, ILogger<GraphErrorMiddleware> logger, IHostEnvironment environment, StorageSpace storage,
    ServiceRootPath serviceRoot)
{
    public async Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var context = (HttpContext)state;
            RequestIds.Apply(context);
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return Task.CompletedTask;
        }, context);

        try
        {
            await next(context);
        }
        catch (Exception exception) when (!context.Response.HasStarted && Translate(exception, context) is { } error)
        {
            await GraphErrorWriter.WriteAsync(context, error);
            return;
        }

        if (!context.Response.HasStarted && context.Response.StatusCode >= 400 && context.Response.ContentType is null)
        {
            await GraphErrorWriter.WriteAsync(context, ForBareStatus(context));
        }
    }

    private ApiException? Translate(Exception exception, HttpContext context)
    {
        switch (exception)
        {
            case ApiException api:
                return api;
            case ODataException odata:
                return ApiException.BadRequest("invalidRequest", odata.Message);
            case BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge:
                return new ApiException(bad.StatusCode, "requestBodyTooLarge",
                    $"The request body is larger than the {MaxBodyText(context)} this service accepts. Send a smaller body; create many runs with separate requests or $batch.");
            case BadHttpRequestException bad:
                return new ApiException(bad.StatusCode, "badHttpRequest", bad.Message);
            case OperationCanceledException when context.RequestAborted.IsCancellationRequested:
                return null;
            case DbUpdateConcurrencyException:
                return new ApiException(StatusCodes.Status412PreconditionFailed, "etagMismatch",
                    "The run was changed by another request after you read it. GET it again for the current ETag and retry.");
            case var _ when DatabaseFaults.IsStorageFull(exception):
                storage.ReportFull(exception);
                return StorageFull();
            case var _ when DatabaseFaults.IsUnavailable(exception):
                LogDatabaseUnavailable(logger, exception.GetBaseException().Message, context.Request.Method, context.Request.Path);
                return DatabaseUnavailable();
            default:
                LogUnhandled(logger, exception, context.Request.Method, context.Request.Path);
                var message = environment.IsDevelopment()
                    ? $"An unexpected error occurred: {exception.GetType().Name}: {exception.Message}"
                    : "An unexpected error occurred. Retry the request; if it keeps failing, report the request-id.";
                return new ApiException(StatusCodes.Status500InternalServerError, "unexpectedError", message);
        }
    }

    private static ApiException DatabaseUnavailable() =>
        new(StatusCodes.Status503ServiceUnavailable, "databaseUnavailable",
            $"The database is unavailable or busy right now, so the request could not be carried out. Retry after {DatabaseFaults.RetryAfterSeconds} seconds; if it keeps failing, report the request-id.")
        {
            Headers = { ["Retry-After"] = DatabaseFaults.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture) },
        };

    private static ApiException StorageFull() =>
        new(StatusCodes.Status507InsufficientStorage, "databaseFull",
            "The service's database is out of storage space, so nothing was written. Retrying will not help until its operator frees space; reads still work. If it persists, report the request-id to the service's operator.");

    private static string MaxBodyText(HttpContext context)
    {
        var max = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        return max is { } bytes ? $"{bytes} bytes" : "size";
    }

    private ApiException ForBareStatus(HttpContext context)
    {
        var request = context.Request;
        var url = request.Path + request.QueryString;
        var status = context.Response.StatusCode;
        return status switch
        {
            404 => new ApiException(status, "resourceNotFound",
                $"No resource matches '{url}'. This service serves the service document at '{serviceRoot}', '{serviceRoot.Of("$metadata")}' and the entity set '{serviceRoot.Of("runs")}'."),
            405 => new ApiException(status, "methodNotAllowed",
                $"{request.Method} is not supported on '{request.Path}'. See the Allow header for the methods that are.")
            {
                Headers = { ["Allow"] = context.Response.Headers.Allow.ToString() },
            },
            _ => new ApiException(status, "requestFailed", $"The request failed with HTTP status {status}."),
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable for {Method} {Path}: {Reason}")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string reason, string method, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
