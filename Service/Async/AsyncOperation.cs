namespace IndustryData.OData.Service.Async;

public enum AsyncOperationStatus
{
    /// <summary>Accepted, waiting for an instance to run it.</summary>
    Queued = 0,

    /// <summary>An instance runs it under a lease (<see cref="AsyncOperation.LeaseOwner"/>).</summary>
    Running = 1,

    /// <summary>Ran to its response (any status), kept until <see cref="AsyncOperation.ExpiresAt"/>.</summary>
    Completed = 2,

    /// <summary>Its instance stopped while it ran: the final response says so; a write in it is all or nothing.</summary>
    Failed = 3,
}

/// <summary>
/// One asynchronous request (Prefer: respond-async, OData Protocol §11.6): the request as received, whose it is, and
/// once run its final response. Stored in the database, so any instance can run it and answer its status monitor.
/// </summary>
public sealed class AsyncOperation
{
    public required string Id { get; set; }

    /// <summary>The caller (issuer and subject, <see cref="Security.Callers.Qualified"/>): only it may read the monitor.</summary>
    public required string Owner { get; set; }

    /// <summary>The caller's claims, to run the request as it (never its token).</summary>
    public required string Principal { get; set; }

    public required string Method { get; set; }

    /// <summary>scheme://host/pathbase of the request, so links in the response point where the client called.</summary>
    public required string BaseUri { get; set; }

    /// <summary>Path and query under <see cref="BaseUri"/>.</summary>
    public required string Target { get; set; }

    /// <summary>The request's headers (JSON object), without Authorization and with respond-async taken out of Prefer.</summary>
    public required string RequestHeaders { get; set; }

    public byte[] RequestBody { get; set; } = [];

    public AsyncOperationStatus Status { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>When the monitor stops answering with the result (410, then 404 once pruned).</summary>
    public DateTime ExpiresAt { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseExpiresAt { get; set; }

    public int? ResponseStatus { get; set; }

    /// <summary>The final response's headers (JSON object).</summary>
    public string? ResponseHeaders { get; set; }

    public byte[]? ResponseBody { get; set; }

    public DateTime? CompletedAt { get; set; }
}
