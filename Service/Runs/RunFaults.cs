using IndustryData.OData.Service.Errors;

namespace IndustryData.OData.Service.Runs;

/// <summary>
/// Every fault found in one run body, each with its own code, target and how-to-fix message, answered together as one
/// 400 so a client fixes them all in one round. A single fault answers exactly as it would on its own.
/// </summary>
public sealed class RunFaults
{
    private const string MissingRequired = "missingRequiredProperty";

    private readonly List<ErrorDetail> faults = [];

    public bool Any => faults.Count > 0;

    public void Add(string code, string message, string? target) => faults.Add(new ErrorDetail(code, message, target));

    /// <summary>Records what a check refused: its own details if it has several, otherwise the fault itself.</summary>
    public void Add(ApiException refusal)
    {
        if (refusal.Details.Count > 0)
        {
            faults.AddRange(refusal.Details);
        }
        else
        {
            Add(refusal.InnerCode, refusal.Message, refusal.Target);
        }
    }

    /// <summary>Runs one check; if it refuses, the fault is recorded (false) and reading goes on with the next property.</summary>
    public bool Check(Action check) => Check(check, static check => check());

    /// <summary>The same without a closure per call (a create checks every property this way).</summary>
    public bool Check<TState>(TState state, Action<TState> check)
    {
        try
        {
            check(state);
            return true;
        }
        catch (ApiException refusal) when (refusal.Status == StatusCodes.Status400BadRequest)
        {
            Add(refusal);
            return false;
        }
    }

    public void ThrowIfAny()
    {
        if (faults.Count == 0)
        {
            return;
        }

        var first = faults[0];
        if (faults.All(fault => fault.Code == MissingRequired))
        {
            var names = string.Join(", ", faults.Select(fault => fault.Target));
            throw new ApiException(StatusCodes.Status400BadRequest, MissingRequired,
                $"The request body lacks the required {(faults.Count == 1 ? "property" : "properties")} {names}. A run needs displayName, startDateTime, status and statistics ({{}} is fine).",
                first.Target, faults.ToList());
        }

        if (faults.Count == 1)
        {
            throw ApiException.BadRequest(first.Code, first.Message, first.Target);
        }

        throw new ApiException(StatusCodes.Status400BadRequest, first.Code, Summary(), first.Target, faults.ToList());
    }

    /// <summary>"3 properties are invalid: startDateTime, endDateTime, status. …" — the details say what is wrong with each.</summary>
    private string Summary()
    {
        var targets = faults.Select(fault => fault.Target ?? "the request body").Distinct(StringComparer.Ordinal).ToList();
        var state = faults.Any(fault => fault.Code == MissingRequired) ? "missing or invalid" : "invalid";
        var count = targets.Count == 1 ? $"{targets[0]} has {faults.Count} faults" : $"{targets.Count} properties are {state}: {string.Join(", ", targets)}";
        return $"{count}. Each entry in details names one fault and how to fix it; fix them all and send the request again.";
    }
}
