using IndustryData.OData.Service.Errors;

namespace IndustryData.OData.Service.Protocol;

/// <summary>
/// The URL length limit (414), checked here so the answer has the error shape: Kestrel's own request-line limit is
/// set higher (see <see cref="KestrelLimits"/>) and would answer without a body.
/// </summary>
public sealed class RequestLimits(RequestDelegate next)
{
    public const int MaxUrlLength = 8 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var length = request.PathBase.Value?.Length + request.Path.Value?.Length + request.QueryString.Value?.Length ?? 0;
        if (length > MaxUrlLength)
        {
            throw new ApiException(StatusCodes.Status414UriTooLong, "urlTooLong",
                $"The URL is {length} characters long; this service accepts at most {MaxUrlLength}. Shorten $filter (e.g. fewer 'in' values) or use $batch.");
        }

        return next(context);
    }
}
