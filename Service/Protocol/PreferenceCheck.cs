using IndustryData.OData.Service.Errors;
using Microsoft.OData;

namespace IndustryData.OData.Service.Protocol;

/// <summary>
/// A Prefer header that OData's writer cannot parse is refused (400) before the request does anything. The writer
/// parses Prefer only when it writes the response, which for a create or update is after the change is committed:
/// without this check, POST with 'Prefer: =' stored the run and then answered 400.
/// </summary>
public sealed class PreferenceCheck(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var prefer = context.Request.Headers["Prefer"].ToString();
        if (prefer.Length > 0)
        {
            try
            {
                // Reading any preference parses the whole header with the writer's own parser.
                _ = new HeaderOnlyMessage(prefer).PreferHeader().ReturnContent;
            }
            catch (ODataException exception)
            {
                throw ApiException.BadRequest("invalidPreferHeader",
                    $"The Prefer header is not a valid list of preferences: {exception.Message} Send e.g. 'Prefer: return=minimal' or 'Prefer: odata.maxpagesize=100', separated by commas.",
                    "Prefer");
            }
        }

        return next(context);
    }

    private sealed class HeaderOnlyMessage(string prefer) : IODataRequestMessage
    {
        public IEnumerable<KeyValuePair<string, string>> Headers => [new("Prefer", prefer)];

        public Uri Url { get; set; } = new("http://localhost/");

        public string Method { get; set; } = HttpMethods.Get;

        public string GetHeader(string headerName) => string.Equals(headerName, "Prefer", StringComparison.OrdinalIgnoreCase) ? prefer : null!;

        public void SetHeader(string headerName, string headerValue) => throw new NotSupportedException();

        public Stream GetStream() => Stream.Null;
    }
}
