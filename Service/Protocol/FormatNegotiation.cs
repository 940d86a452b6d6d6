using IndustryData.OData.Service.Querying;
using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Protocol;

/// <summary>
/// 406 before an OData endpoint runs when the request accepts none of the formats it writes (see
/// <see cref="ResponseFormat"/>): raw values (/$value, /$count) are text/plain, everything else OData JSON. Without
/// this, MVC ignores an Accept it cannot meet and answers JSON anyway. Runs after routing, which sets the OData path;
/// DELETE writes no representation and is left alone, as is a PUT of a raw value (…/$value, text/plain) that answers
/// 204: the Accept a client sends for its JSON writes says nothing about it, unless it asks for the value back.
/// </summary>
public sealed class FormatNegotiation(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsDelete(request.Method) && context.ODataFeature().Path is { } path)
        {
            // $format given twice is the 400 of any repeated option, not a format it cannot read.
            RunQueryOptions.RejectRepeated(request.Query);
            var raw = path.LastSegment is ValueSegment or CountSegment;
            if (raw && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !Preferences.ReturnRepresentation(request))
            {
                return next(context);
            }

            ResponseFormat.Negotiate(request, "this resource", raw ? ResponseFormat.TextPlain : ResponseFormat.ODataJson);
        }

        return next(context);
    }
}
