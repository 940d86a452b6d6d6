using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Storage;

namespace IndustryData.OData.Service.Telemetry;

/// <summary>
/// Counts created, updated and deleted runs once they are committed. A direct request has committed when it
/// reports; a $batch part has not (its change may still be rolled back with its atomicity group), so its changes
/// wait here until the batch commits them (<see cref="Batch.BatchExecutor"/>).
/// </summary>
public sealed class RunChangeMetrics(ServiceMetrics metrics, TransactionEnlistment enlistment)
{
    private List<Action<ServiceMetrics>>? pending;

    public void Created(Run run)
    {
        if (enlistment.Transaction is null)
        {
            metrics.RunCreated(run);
        }
        else
        {
            Defer(m => m.RunCreated(run));
        }
    }

    /// <summary>A create sent with an Idempotency-Key: counted as created (with its run) or as a replay, which changed nothing.</summary>
    public void IdempotentCreate(Run run, bool replayed)
    {
        if (!replayed)
        {
            Created(run);
        }

        if (enlistment.Transaction is null)
        {
            metrics.IdempotentCreate(replayed);
        }
        else
        {
            Defer(m => m.IdempotentCreate(replayed));
        }
    }

    public void Updated(Run run)
    {
        if (enlistment.Transaction is null)
        {
            metrics.RunUpdated(run);
        }
        else
        {
            Defer(m => m.RunUpdated(run));
        }
    }

    public void Deleted(Run run)
    {
        if (enlistment.Transaction is null)
        {
            metrics.RunDeleted(run);
        }
        else
        {
            Defer(m => m.RunDeleted(run));
        }
    }

    /// <summary>Changes of a $batch part, to be reported if the batch commits them.</summary>
    public IReadOnlyList<Action<ServiceMetrics>> TakePending()
    {
        var taken = pending ?? [];
        pending = null;
        return taken;
    }

    private void Defer(Action<ServiceMetrics> change) => (pending ??= []).Add(change);
}
