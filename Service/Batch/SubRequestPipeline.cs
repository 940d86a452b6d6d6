namespace IndustryData.OData.Service.Batch;

/// <summary>
/// The application's request pipeline from its first middleware on, captured when the pipeline is built, so that
/// batch sub-requests pass every rule a direct request passes: error shaping, limits, authentication, throttling,
/// authorization, validation.
/// </summary>
public sealed class SubRequestPipeline
{
    public RequestDelegate Entry { get; set; } = _ => throw new InvalidOperationException("The pipeline has not been built yet.");
}
