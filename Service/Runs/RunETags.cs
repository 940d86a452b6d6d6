using System.Globalization;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Errors;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace IndustryData.OData.Service.Runs;

/// <summary>
/// A run's entity tag: weak (as OData services use them, since $select changes the representation) and derived from
/// the row's version, which changes on every write. Preconditions compare the opaque tags, ignoring W/.
/// </summary>
public static class RunETags
{
    public static string For(Run run) => "W/\"" + run.Version.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>
    /// If-Match and If-None-Match on a write of an existing run (OData Protocol §8.2.4, §8.2.5): 412 unless one of
    /// If-Match's tags (or *) is the run's current tag, and 412 when If-None-Match's tags (or *) match it.
    /// </summary>
    public static void CheckWrite(HttpRequest request, Run run)
    {
        var ifMatch = request.Headers.IfMatch;
        if (!StringValues.IsNullOrEmpty(ifMatch) && !Matches(ifMatch, "If-Match", run))
        {
            throw new ApiException(StatusCodes.Status412PreconditionFailed, "etagMismatch",
                $"If-Match {ifMatch} does not match the run's current ETag {For(run)}: it was changed since you read it. GET it again and retry with the new ETag.");
        }

        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (!StringValues.IsNullOrEmpty(ifNoneMatch) && Matches(ifNoneMatch, "If-None-Match", run))
        {
            throw new ApiException(StatusCodes.Status412PreconditionFailed, IsAny(ifNoneMatch) ? "runExists" : "etagMatch",
                IsAny(ifNoneMatch)
                    ? "If-None-Match: * asks to write only if the run does not exist, and it exists (the service creates runs with POST only). Leave If-None-Match out, or send If-Match with the run's ETag to update it."
                    : $"If-None-Match {ifNoneMatch} matches the run's current ETag {For(run)}, so the write was not made. Leave If-None-Match out, or send If-Match with the ETag to update it.",
                "If-None-Match");
        }
    }

    /// <summary>
    /// If-Match on a write of a run that does not exist: no tag, not even *, matches a resource that has no current
    /// representation (RFC 9110 §13.1.1; OData Protocol §8.2.4: "if the addressed entity does not exist the provided
    /// ETag value is considered not to match"), so 412 rather than the 404 the write gets without the header.
    /// </summary>
    public static void CheckWriteOfMissing(HttpRequest request, string description)
    {
        var ifMatch = request.Headers.IfMatch;
        if (StringValues.IsNullOrEmpty(ifMatch))
        {
            return;
        }

        _ = Parse(ifMatch, "If-Match");
        throw new ApiException(StatusCodes.Status412PreconditionFailed, "resourceNotFound",
            $"If-Match {ifMatch} cannot match: {description} List runs with GET runs to find the one you meant.", "If-Match");
    }

    /// <summary>If-None-Match on a read: true when the client's copy is current (answer 304).</summary>
    public static bool IsNotModified(HttpRequest request, Run run)
    {
        var header = request.Headers.IfNoneMatch;
        return !StringValues.IsNullOrEmpty(header) && Matches(header, "If-None-Match", run);
    }

    private static bool Matches(StringValues header, string headerName, Run run)
    {
        var current = EntityTagHeaderValue.Parse(For(run));
        return Parse(header, headerName).Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false));
    }

    private static bool IsAny(StringValues header) => Parse(header, "If-None-Match").Any(tag => tag.Equals(EntityTagHeaderValue.Any));

    private static IList<EntityTagHeaderValue> Parse(StringValues header, string headerName) =>
        EntityTagHeaderValue.TryParseList(header, out var tags)
            ? tags
            : throw ApiException.BadRequest("invalidETag", $"'{header}' is not a valid entity-tag list. Send the ETag exactly as the service returned it, e.g. W/\"3\", or *.", headerName);
}
