namespace IndustryData.OData.Service.Storage;

/// <summary>
/// A commit failed in a way that leaves its outcome unknown. Wrapping the provider's exception hides it from EF Core's
/// retrying execution strategy (which would run the whole unit of work again), while <see cref="DatabaseFaults"/>
/// still finds it in the chain and the caller gets 503.
/// </summary>
public sealed class CommitOutcomeUnknownException(Exception inner)
    : Exception("The commit failed and may or may not have taken effect.", inner);
