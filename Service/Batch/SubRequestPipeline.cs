namespace IndustryData.OData.Service.Batch;

/// <summary>
/// The application's request pipeline from its first middleware on, captured when the pipeline is built, so that
/// batch sub-requests and asynchronous jobs pass every rule a direct request passes: error shaping, limits,
/// authentication, throttling, authorization, validation.
/// </summary>
public sealed class SubRequestPipeline
{
    private readonly TaskCompletionSource built = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RequestDelegate entry = _ => throw new InvalidOperationException("The pipeline has not been built yet.");

    public RequestDelegate Entry
    {
        get => entry;
        set
        {
            entry = value;
            built.TrySetResult();
        }
    }

    /// <summary>
    /// Completes once <see cref="Entry"/> is set. Hosted services start before the pipeline is built, so one that sends
    /// requests through it at start (the asynchronous-request runner, finding jobs queued before a restart) waits for this.
    /// </summary>
    public Task Built => built.Task;
}
