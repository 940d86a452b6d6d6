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

    /// <summary>If-Match on a write: 412 unless one of the listed tags (or *) is the run's current tag.</summary>
    public static void CheckIfMatch(HttpRequest request, Run run)
    {
        var header = request.Headers.IfMatch;
        if (StringValues.IsNullOrEmpty(header))
        {
            return;
        }

        if (!Matches(header, "If-Match", run))
        {
            throw new ApiException(StatusCodes.Status412PreconditionFailed, "etagMismatch",
                $"If-Match {header} does not match the run's current ETag {For(run)}: it was changed since you read it. GET it again and retry with the new ETag.");
        }
    }

    /// <summary>If-None-Match on a read: true when the client's copy is current (answer 304).</summary>
    public static bool IsNotModified(HttpRequest request, Run run)
    {
        var header = request.Headers.IfNoneMatch;
        return !StringValues.IsNullOrEmpty(header) && Matches(header, "If-None-Match", run);
    }

    private static bool Matches(StringValues header, string headerName, Run run)
    {
        if (!EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            throw ApiException.BadRequest("invalidETag", $"'{header}' is not a valid entity-tag list. Send the ETag exactly as the service returned it, e.g. W/\"3\", or *.", headerName);
        }

        var current = EntityTagHeaderValue.Parse(For(run));
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false));
    }
}
