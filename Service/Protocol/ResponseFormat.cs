using IndustryData.OData.Service.Errors;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace IndustryData.OData.Service.Protocol;

/// <summary>
/// A media type an endpoint writes, with the format parameters it understands. OData Protocol §8.2.1 (Accept) and
/// §11.2.11 ($format): a request that accepts none of the endpoint's formats, or names format parameters the service
/// does not know, is refused with 406 (OData 4.0 Minimal conformance 5.1: conform to Accept "or fail the request").
/// </summary>
public sealed class ResponseFormat
{
    private static readonly string[] Booleans = ["true", "false"];

    private readonly Dictionary<string, string[]?> parameters;

    private ResponseFormat(string mediaType, string description, Dictionary<string, string[]?> parameters)
    {
        MediaType = mediaType;
        Description = description;
        this.parameters = parameters;
    }

    /// <summary>OData JSON (OData JSON Format §3: odata.metadata, odata.streaming, IEEE754Compatible, ExponentialDecimals; 4.01 without the odata. prefix too).</summary>
    public static ResponseFormat ODataJson { get; } = new("application/json",
        "application/json (parameters: odata.metadata=minimal|full|none, odata.streaming, IEEE754Compatible, ExponentialDecimals, charset)",
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["odata.metadata"] = ["minimal", "full", "none"], ["metadata"] = ["minimal", "full", "none"],
            ["odata.streaming"] = Booleans, ["streaming"] = Booleans,
            ["IEEE754Compatible"] = Booleans, ["ExponentialDecimals"] = Booleans, ["charset"] = null,
        });

    /// <summary>Raw values: /$value of a primitive, /$count.</summary>
    public static ResponseFormat TextPlain { get; } = new("text/plain", "text/plain", new(StringComparer.OrdinalIgnoreCase) { ["charset"] = null });

    /// <summary>CSDL XML ($metadata).</summary>
    public static ResponseFormat Xml { get; } = new("application/xml", "application/xml", new(StringComparer.OrdinalIgnoreCase) { ["charset"] = null });

    public string MediaType { get; }

    public string Description { get; }

    /// <summary>The formats an endpoint writes, in order of preference; throws 406 when the request accepts none of them.</summary>
    public static ResponseFormat Negotiate(HttpRequest request, string resource, params ResponseFormat[] produced)
    {
        if (Requested(request) is { } format)
        {
            var named = FormatMediaType(format);
            return produced.FirstOrDefault(candidate => named is not null && candidate.IsNamedBy(named))
                ?? throw NotAcceptable(produced, resource, $"$format={format} names a format {resource} does not produce.", "$format");
        }

        var accept = request.Headers.Accept;
        if (StringValues.IsNullOrEmpty(accept) || accept.All(string.IsNullOrWhiteSpace))
        {
            return produced[0];
        }

        if (!MediaTypeHeaderValue.TryParseList(accept, out var ranges))
        {
            throw ApiException.BadRequest("invalidAcceptHeader",
                $"The Accept header '{accept}' is not a valid list of media ranges. Send e.g. 'Accept: application/json', or leave it out.", "Accept");
        }

        return ranges
            .Where(range => range.Quality is not 0)
            .OrderByDescending(range => range.Quality ?? 1)
            .SelectMany(range => produced.Where(candidate => candidate.IsAcceptedBy(range)))
            .FirstOrDefault()
            ?? throw NotAcceptable(produced, resource, $"Accept: {accept} accepts no format {resource} produces.", "Accept");
    }

    private static string? Requested(HttpRequest request)
    {
        foreach (var (key, value) in request.Query)
        {
            if ((key.Equals("$format", StringComparison.OrdinalIgnoreCase) || key.Equals("format", StringComparison.OrdinalIgnoreCase))
                && !string.IsNullOrWhiteSpace(value))
            {
                return value.ToString();
            }
        }

        return null;
    }

    /// <summary>$format's value: json, xml, atom (OData's abbreviations) or a media type with parameters.</summary>
    private static MediaTypeHeaderValue? FormatMediaType(string format) => format.Trim().ToLowerInvariant() switch
    {
        "json" => new MediaTypeHeaderValue("application/json"),
        "xml" => new MediaTypeHeaderValue("application/xml"),
        "atom" => new MediaTypeHeaderValue("application/atom+xml"),
        _ => MediaTypeHeaderValue.TryParse(format, out var parsed) ? parsed : null,
    };

    private bool IsNamedBy(MediaTypeHeaderValue named) =>
        named.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase) && KnowsParameters(named);

    private bool IsAcceptedBy(MediaTypeHeaderValue range) =>
        range.MatchesAllTypes
        || (range.MatchesAllSubTypes && MediaType.StartsWith(range.Type.ToString() + "/", StringComparison.OrdinalIgnoreCase))
        || (range.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase) && KnowsParameters(range));

    private bool KnowsParameters(MediaTypeHeaderValue range) => range.Parameters.All(parameter =>
        parameter.Name.Equals("q", StringComparison.OrdinalIgnoreCase)
        || (parameters.TryGetValue(parameter.Name.ToString(), out var values)
            && (values is null || values.Contains(HeaderUtilities.RemoveQuotes(parameter.Value).ToString(), StringComparer.OrdinalIgnoreCase))));

    private static ApiException NotAcceptable(ResponseFormat[] produced, string resource, string reason, string target) =>
        new(StatusCodes.Status406NotAcceptable, "unsupportedFormat",
            $"{reason} It answers {string.Join(" or ", produced.Select(format => format.Description))}. Ask for one of those (e.g. Accept: {produced[0].MediaType}), or leave Accept and $format out.",
            target);
}
