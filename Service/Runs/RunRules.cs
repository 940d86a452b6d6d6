using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Hosting;

namespace IndustryData.OData.Service.Runs;

/// <summary>
/// The rules that need more than one property: which concrete type a write targets, which properties are required,
/// what may not change, and that a run ends after it starts. Create, replace (PUT) and update (PATCH) all pass here,
/// and each answers the body's faults and its own together (<see cref="RunFaults"/>) before anything changes.
/// </summary>
public static class RunRules
{
    private static readonly (string Name, string Hint)[] RequiredOnCreate =
    [
        ("displayName", "Send a name of 1 to 256 characters."),
        ("startDateTime", "Send when the run started, e.g. \"2026-01-31T09:30:00Z\"."),
        ("status", "Send one of running, failed, completed, completedWithErrors or completedWithWarnings."),
        ("statistics", "Send an object; {} is fine when there is nothing to report."),
    ];

    /// <summary>Builds a new run from a create payload; <paramref name="castType"/> is the URL's type-cast segment, if any.</summary>
    public static Run Create(RunPayload payload, Type? castType, string? castTypeName, ServiceRootPath serviceRoot)
    {
        var faults = payload.Faults;
        if (payload.HasId)
        {
            faults.Add("readOnlyProperty", "id is assigned by the service and must not be sent when creating a run. Remove it from the body.", "id");
        }

        var type = ResolveCreateType(payload, castType, castTypeName, serviceRoot, faults);
        RequireAll(payload, faults);
        CheckValues(payload, payload.StartDateTime, payload.EndDateTime, partial: false, faults);
        faults.ThrowIfAny();
        var run = (Run)Activator.CreateInstance(type!)!;
        Apply(payload, run, partial: false);
        return run;
    }

    /// <summary>
    /// For a write whose run does not exist: a body with faults of its own is still refused (400, every fault) rather
    /// than answered 404, as a body was always judged first.
    /// </summary>
    public static void RejectFaultyBody(RunPayload payload) => payload.Faults.ThrowIfAny();

    /// <summary>PUT: every updatable property is replaced; omitted optional properties become null.</summary>
    public static void Replace(RunPayload payload, Run run)
    {
        var faults = payload.Faults;
        CheckImmutable(payload, run, faults);
        RequireAll(payload, faults);
        CheckValues(payload, payload.StartDateTime, payload.EndDateTime, partial: false, faults);
        faults.ThrowIfAny();
        Apply(payload, run, partial: false);
    }

    /// <summary>PATCH: only the properties sent change; status unknownFutureValue means "leave it as it is".</summary>
    public static void Update(RunPayload payload, Run run)
    {
        var faults = payload.Faults;
        CheckImmutable(payload, run, faults);
        var start = payload.HasStartDateTime ? payload.StartDateTime : run.StartDateTime;
        var end = payload.HasEndDateTime ? payload.EndDateTime : run.EndDateTime;
        CheckValues(payload, start, end, partial: true, faults);
        faults.ThrowIfAny();
        Apply(payload, run, partial: true);
    }

    /// <summary>
    /// A write to one property (PUT/PATCH/DELETE runs('…')/{property}, or a value inside it): the payload holds that
    /// property's new value, judged as a PATCH of the run with it. <paramref name="replace"/> (PUT, DELETE) refuses
    /// status unknownFutureValue, which a PATCH reads as "unchanged" but a PUT of the value cannot store.
    /// </summary>
    public static void SetProperty(RunPayload payload, Run run, bool replace)
    {
        var faults = payload.Faults;
        var start = payload.HasStartDateTime ? payload.StartDateTime : run.StartDateTime;
        var end = payload.HasEndDateTime ? payload.EndDateTime : run.EndDateTime;
        CheckValues(payload, start, end, partial: !replace, faults);
        faults.ThrowIfAny();
        Apply(payload, run, partial: true);
    }

    /// <summary>
    /// Which properties a write to one property may address: not id (the key, assigned by the service), and DELETE
    /// (set to null) only on a nullable one (OData Protocol §11.4.9.2: 400 for a non-nullable value).
    /// </summary>
    public static void CheckPropertyWrite(string property, string target, bool setsNull, bool nullable)
    {
        if (property == "id")
        {
            throw ApiException.BadRequest("readOnlyProperty",
                "id is the run's key: the service assigns it when the run is created and it never changes. Create a new run to get another id.", "id");
        }

        if (setsNull && !nullable)
        {
            throw ApiException.BadRequest("nullNotAllowed",
                $"{target} cannot be set to null: every run has a {target} (it is not nullable). Send PUT {target} with a new value instead of DELETE.", target);
        }
    }

    private static Type? ResolveCreateType(RunPayload payload, Type? castType, string? castTypeName, ServiceRootPath serviceRoot, RunFaults faults)
    {
        if (castType is not null)
        {
            if (payload.DeclaredType is not null && payload.DeclaredType != castType)
            {
                faults.Add("typeMismatch",
                    $"The URL creates a '{castTypeName}' but the body's @odata.type is '{payload.DeclaredTypeName}'. Make them agree or drop @odata.type from the body.",
                    "@odata.type");
            }

            return castType;
        }

        if (!payload.HasDeclaredType)
        {
            // AspNetCoreOData #1087/#1165: the stock deserializer fails obscurely (even with a 500) on an abstract
            // set without @odata.type; we read bodies ourselves and say what to send instead.
            var types = string.Join(" or ", RunPayloadReader.ConcreteRunTypeNames(IndustryData.OData.Model.Edm.IndustryDataEdm.Model).Select(n => $"\"#{n}\""));
            faults.Add("missingODataType",
                $"runs holds an abstract type, so the body must say which kind of run to create: add \"@odata.type\": {types}, or POST to {serviceRoot.Of("runs")}/<type name>.",
                "@odata.type");
        }

        return payload.DeclaredType;
    }

    private static void CheckImmutable(RunPayload payload, Run run, RunFaults faults)
    {
        if (payload.HasId && payload.Id != run.Id)
        {
            faults.Add("readOnlyProperty", $"id cannot be changed (this run's id is '{run.Id}'). Remove id from the body.", "id");
        }

        if (payload.DeclaredType is not null && payload.DeclaredType != run.GetType())
        {
            faults.Add("typeMismatch",
                $"The type of a run cannot be changed: this run is a '{RunTypeNames.Of(run)}', the body says '{payload.DeclaredTypeName}'. Create a new run of the other type instead.",
                "@odata.type");
        }
    }

    private static void RequireAll(RunPayload payload, RunFaults faults)
    {
        foreach (var (name, hint) in RequiredOnCreate)
        {
            if (!IsPresent(payload, name))
            {
                faults.Add("missingRequiredProperty", $"{name} is required. {hint}", name);
            }
        }
    }

    /// <summary>Values that are well-formed on their own but not allowed here; a property already at fault is not judged again.</summary>
    private static void CheckValues(RunPayload payload, DateTimeOffset? start, DateTimeOffset? end, bool partial, RunFaults faults)
    {
        if (payload.HasStatus && payload.Status == RunStatus.UnknownFutureValue && !partial)
        {
            faults.Add("invalidEnumValue",
                "status 'unknownFutureValue' is a placeholder for members added in future versions and cannot be stored. Send running, failed, completed, completedWithErrors or completedWithWarnings.",
                "status");
        }

        if (end is { } endValue && start is { } startValue && endValue < startValue)
        {
            faults.Add("endBeforeStart",
                $"endDateTime ({endValue:O}) is before startDateTime ({startValue:O}). A run cannot end before it starts; send a later endDateTime, or null while it is running.",
                "endDateTime");
        }
    }

    private static bool IsPresent(RunPayload payload, string name) => name switch
    {
        "displayName" => payload.HasDisplayName,
        "startDateTime" => payload.HasStartDateTime,
        "status" => payload.HasStatus,
        "statistics" => payload.HasStatistics,
        _ => false,
    };

    private static void Apply(RunPayload payload, Run run, bool partial)
    {
        if (payload.HasDisplayName)
        {
            run.DisplayName = payload.DisplayName!;
        }

        if (payload.HasStartDateTime)
        {
            run.StartDateTime = payload.StartDateTime!.Value;
        }

        if (payload.HasEndDateTime || !partial)
        {
            run.EndDateTime = payload.EndDateTime;
        }

        if (payload.HasStatus && payload.Status != RunStatus.UnknownFutureValue)
        {
            run.Status = payload.Status!.Value;
        }

        if (payload.HasBlockingError || !partial)
        {
            run.BlockingError = payload.BlockingError;
        }

        if (payload.HasStatistics)
        {
            run.Statistics = payload.Statistics!;
        }
    }
}
