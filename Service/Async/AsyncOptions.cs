namespace IndustryData.OData.Service.Async;

/// <summary>Asynchronous requests' settings (section "AsyncRequests").</summary>
public sealed class AsyncOptions
{
    public const string Section = "AsyncRequests";

    /// <summary>How long a result is kept once a request is accepted (then its monitor answers 410, and 404 once pruned).</summary>
    public TimeSpan ResultRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The Retry-After of a 202 (seconds).</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>How often an instance looks for queued work (work accepted here starts at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an instance owns a running request; it is renewed while it runs. A lapsed lease means the instance stopped: the request ends as failed.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests run at once on one instance.</summary>
    public int MaxConcurrent { get; set; } = 4;

    /// <summary>
    /// How long each statement of a list, $count or $apply may run when the request runs as an asynchronous job (the
    /// synchronous limit is Querying:StatementBudget): the client already chose to wait, so a query no index serves
    /// may read more before it is refused 400 queryTooExpensive.
    /// </summary>
    public TimeSpan StatementBudget { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether this instance runs queued requests (its monitor answers either way).</summary>
    public bool RunnerEnabled { get; set; } = true;
}
