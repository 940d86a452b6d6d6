using System.Collections.Concurrent;

namespace IndustryData.OData.Service.Idempotency;

/// <summary>
/// Keys whose first request is still being carried out in this process. A repeat that arrives meanwhile is told to
/// retry (409) instead of racing the first to the database. Across instances the database's unique key decides.
/// </summary>
public sealed class InFlightKeys
{
    private readonly ConcurrentDictionary<string, string> requests = new(StringComparer.Ordinal);

    /// <summary>Claims the key for this request; when it is taken, returns false and the request hash holding it.</summary>
    public bool TryClaim(IdempotentRequest request, out string holder)
    {
        holder = requests.GetOrAdd(request.KeyHash, request.RequestHash);
        return ReferenceEquals(holder, request.RequestHash);
    }

    public void Release(IdempotentRequest request) => requests.TryRemove(new KeyValuePair<string, string>(request.KeyHash, request.RequestHash));
}
