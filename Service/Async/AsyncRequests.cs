using IndustryData.OData.Service.Batch;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Protocol;
using IndustryData.OData.Service.Security;
using IndustryData.OData.Service.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace IndustryData.OData.Service.Async;

/// <summary>
/// Asynchronous requests (OData Protocol §11.6, §8.2.8.8 respond-async): a request with Prefer: respond-async (a read,
/// a write, a $batch) is stored and answered at once with 202 Accepted, Location of its status monitor
/// ({service root}/$async/{id}), Retry-After and Preference-Applied: respond-async; a runner on any instance runs it
/// (<see cref="AsyncOperationRunner"/>). The monitor, for the caller who sent the request only, answers 202 while it
/// waits or runs, then 200 with the final response as application/http and its status in AsyncResult; DELETE cancels
/// it (or discards its result); past the retention 410, then 404.
/// </summary>
public sealed class AsyncRequests(RequestDelegate next, PathString serviceRoot, AsyncOperationRunner runner, IOptions<AsyncOptions> options, TimeProvider time)
{
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

    private readonly PathString monitors = serviceRoot.Add("/$async");

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments(monitors, out var rest))
        {
            return MonitorAsync(context, rest.Value?.Trim('/') ?? string.Empty);
        }

        if (!Preferences.RespondAsync(request) || context.Items.ContainsKey(AsyncJob.Marker) || context.Items.ContainsKey(SubRequest.Marker)
            || context.User.Identity?.IsAuthenticated != true || !request.Path.StartsWithSegments(serviceRoot)
            || !Methods.Contains(request.Method, StringComparer.OrdinalIgnoreCase))
        {
            // respond-async is a preference: an unauthenticated request goes on to its 401, a method the API does not
            // have to its 405. A conditional write (If-Match, If-None-Match) is accepted like any other: its headers are
            // stored and its precondition is evaluated when the job runs, in the same transaction as the write (RFC 9110
            // §13.2.2: just before the method is applied), so a change made while it was queued is a 412 in the monitor's
            // result, never a lost update. Judging it at acceptance would check a state the write no longer sees.
            return next(context);
        }

        return AcceptAsync(context);
    }

    private async Task AcceptAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await ReadBodyAsync(request, context.RequestAborted);
        if (ResponseVersion.Is401(context))
        {
            // ODataVersionCheck capped it for this instance's writers; the request runs later and checks it again.
            request.Headers["OData-MaxVersion"] = ResponseVersion.V401;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var operation = new AsyncOperation
        {
            Id = Guid.CreateVersion7().ToString(),
            Owner = Callers.Qualified(context.User),
            Principal = AsyncJob.StorePrincipal(context.User),
            Method = request.Method,
            BaseUri = $"{request.Scheme}://{request.Host}{request.PathBase}",
            Target = request.Path.ToUriComponent() + request.QueryString.ToUriComponent(),
            RequestHeaders = AsyncJob.StoreHeaders(request.Headers),
            RequestBody = body,
            Status = AsyncOperationStatus.Queued,
            CreatedAt = now,
            ExpiresAt = now + options.Value.ResultRetention,
        };
        var db = context.RequestServices.GetRequiredService<RunsDbContext>();
        db.AsyncOperations.Add(operation);
        await db.SaveChangesAsync(context.RequestAborted);
        runner.Wake();
        Preferences.Applied(context, "respond-async");
        Pending(context, operation.Id);
    }

    private async Task MonitorAsync(HttpContext context, string id)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            throw new ApiException(StatusCodes.Status401Unauthorized, "missingToken",
                "A status monitor answers only the caller who sent the request: send the same bearer token (Authorization: Bearer …).")
            {
                Headers = { [HeaderNames.WWWAuthenticate] = "Bearer" },
            };
        }

        var request = context.Request;
        var owner = Callers.Qualified(context.User);
        var db = context.RequestServices.GetRequiredService<RunsDbContext>();
        var operation = id.Length == 0 || id.Contains('/', StringComparison.Ordinal) ? null
            : await db.AsyncOperations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id && o.Owner == owner, context.RequestAborted);
        if (operation is null)
        {
            throw ApiException.NotFound("No asynchronous request of yours has this status monitor: it never existed, was cancelled, or its result was removed after its retention. Send the request again.");
        }

        if (HttpMethods.IsDelete(request.Method))
        {
            await db.AsyncOperations.Where(o => o.Id == id && o.Owner == owner).ExecuteDeleteAsync(context.RequestAborted);
            runner.Cancel(id);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            throw new ApiException(StatusCodes.Status405MethodNotAllowed, "methodNotAllowed", "A status monitor is read with GET and cancelled with DELETE.")
            {
                Headers = { [HeaderNames.Allow] = "GET, HEAD, DELETE" },
            };
        }

        if (operation.ExpiresAt < time.GetUtcNow().UtcDateTime)
        {
            throw new ApiException(StatusCodes.Status410Gone, "asyncResultExpired",
                $"The result of this asynchronous request was kept until {operation.ExpiresAt:O} and is gone. Send the request again.");
        }

        if (operation.Status is AsyncOperationStatus.Queued or AsyncOperationStatus.Running)
        {
            Pending(context, id);
            return;
        }

        var message = AsyncJob.HttpMessage(operation.ResponseStatus ?? StatusCodes.Status500InternalServerError, operation.ResponseHeaders, operation.ResponseBody);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/http";
        response.Headers["Content-Transfer-Encoding"] = "binary";
        response.Headers["AsyncResult"] = (operation.ResponseStatus ?? StatusCodes.Status500InternalServerError).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["OData-Version"] = ResponseVersion.V40;
        response.ContentLength = message.Length;
        if (!HttpMethods.IsHead(request.Method))
        {
            await response.Body.WriteAsync(message, context.RequestAborted);
        }
    }

    /// <summary>202 with the monitor's URL and when to ask again.</summary>
    private void Pending(HttpContext context, string id)
    {
        var request = context.Request;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status202Accepted;
        response.Headers.Location = $"{request.Scheme}://{request.Host}{request.PathBase}{monitors}/{id}";
        response.Headers.RetryAfter = options.Value.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["OData-Version"] = ResponseVersion.V40;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > BatchMiddleware.MaxBodyBytes)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > BatchMiddleware.MaxBodyBytes)
            {
                throw TooLarge();
            }
        }

        return buffer.ToArray();
    }

    private static ApiException TooLarge() => new(StatusCodes.Status413PayloadTooLarge, "requestBodyTooLarge",
        $"An asynchronous request's body may be at most {BatchMiddleware.MaxBodyBytes} bytes. Send less per request.");
}
