using Microsoft.AspNetCore.Http.Features;

namespace IndustryData.OData.Service.Protocol;

/// <summary>
/// A HEAD request runs the GET code (see <see cref="HeadWhereGetWorks"/>) and gets its status and headers, Content-Length
/// included, but no body. Kestrel drops a HEAD response's body itself; this drops it for every other host too (the
/// in-memory test server sends whatever is written).
/// </summary>
public sealed class HeadResponses(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }

        var body = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null, body));
        try
        {
            await next(context);
        }
        finally
        {
            context.Features.Set(body);
        }
    }
}
