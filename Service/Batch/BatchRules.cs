using IndustryData.OData.Service.Errors;

namespace IndustryData.OData.Service.Batch;

/// <summary>What makes a batch well-formed, checked before anything runs (a bad batch is a 400 and runs nothing).</summary>
internal static class BatchRules
{
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PATCH", "PUT", "DELETE"];

    public static void Check(IReadOnlyList<BatchPart> parts)
    {
        if (parts.Count == 0)
        {
            throw ApiException.BadRequest("emptyBatch", "The batch contains no requests. Send between 1 and 20.");
        }

        if (parts.Count > BatchExecutor.MaxRequests)
        {
            throw ApiException.BadRequest("tooManyRequests",
                $"The batch contains {parts.Count} requests; at most {BatchExecutor.MaxRequests} are allowed (Graph's limit). Split it into several batches.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var groupsSeen = new HashSet<string>(StringComparer.Ordinal);
        string? currentGroup = null;
        foreach (var part in parts)
        {
            if (!seen.Add(part.Id))
            {
                throw ApiException.BadRequest("duplicateRequestId", $"Two requests in the batch have the id '{part.Id}'. Give every request a unique id.", part.Id);
            }

            if (!Methods.Contains(part.Method, StringComparer.Ordinal))
            {
                throw ApiException.BadRequest("invalidMethod", $"Request '{part.Id}' uses the method '{part.Method}'. Use GET, HEAD, POST, PATCH, PUT or DELETE.", part.Id);
            }

            if (part.AtomicityGroup != currentGroup)
            {
                if (part.AtomicityGroup is not null && !groupsSeen.Add(part.AtomicityGroup))
                {
                    throw ApiException.BadRequest("atomicityGroupNotAdjacent",
                        $"The requests of atomicity group '{part.AtomicityGroup}' must be adjacent; request '{part.Id}' is separated from the rest of its group.", part.Id);
                }

                currentGroup = part.AtomicityGroup;
            }

            foreach (var dependency in part.DependsOn)
            {
                if (!seen.Contains(dependency) && !groupsSeen.Contains(dependency) || dependency == part.Id)
                {
                    throw ApiException.BadRequest("invalidDependsOn",
                        $"Request '{part.Id}' depends on '{dependency}', which is not an earlier request or atomicity group of this batch.", part.Id);
                }
            }
        }
    }
}
