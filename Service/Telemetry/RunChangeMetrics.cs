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

    public void Created(Run run) => Report(m => m.RunCreated(run));

    /// <summary>A create sent with an Idempotency-Key: counted as created (with its run) or as a replay, which changed nothing.</summary>
    public void IdempotentCreate(Run run, bool replayed)
    {
        if (!replayed)
        {
            Created(run);
        }

        Report(m => m.IdempotentCreate(replayed));
    }

    public void Updated(Run run) => Report(m => m.RunUpdated(run));

    public void Deleted(Run run) => Report(m => m.RunDeleted(run));

    /// <summary>Changes of a $batch part, to be reported if the batch commits them.</summary>
    public IReadOnlyList<Action<ServiceMetrics>> TakePending()
    {
        var taken = pending ?? [];
        pending = null;
        return taken;
    }

    /// <summary>Now, outside a $batch; at the batch's commit, inside one.</summary>
    private void Report(Action<ServiceMetrics> change)
    {
        if (enlistment.Transaction is null)
        {
            change(metrics);
        }
        else
        {
            (pending ??= []).Add(change);
        }
    }
}
