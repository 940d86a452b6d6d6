using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Errors;

namespace IndustryData.OData.Service.Runs;

/// <summary>
/// The rules that need more than one property: which concrete type a write targets, which properties are required,
/// what may not change, and that a run ends after it starts. Create, replace (PUT) and update (PATCH) all pass here.
/// </summary>
public static class RunRules
{
    private static readonly string[] RequiredOnCreate = ["displayName", "startDateTime", "status", "statistics"];

    /// <summary>Builds a new run from a create payload; <paramref name="castType"/> is the URL's type-cast segment, if any.</summary>
    public static Run Create(RunPayload payload, Type? castType, string? castTypeName)
    {
        if (payload.HasId)
        {
            throw ApiException.BadRequest("readOnlyProperty", "id is assigned by the service and must not be sent when creating a run. Remove it from the body.", "id");
        }

        var type = ResolveCreateType(payload, castType, castTypeName);
        var run = (Run)Activator.CreateInstance(type)!;
        RequireAll(payload);
        Apply(payload, run, partial: false);
        return run;
    }

    /// <summary>PUT: every updatable property is replaced; omitted optional properties become null.</summary>
    public static void Replace(RunPayload payload, Run run)
    {
        CheckImmutable(payload, run);
        RequireAll(payload);
        Apply(payload, run, partial: false);
    }

    /// <summary>PATCH: only the properties sent change; status unknownFutureValue means "leave it as it is".</summary>
    public static void Update(RunPayload payload, Run run)
    {
        CheckImmutable(payload, run);
        Apply(payload, run, partial: true);
    }

    private static Type ResolveCreateType(RunPayload payload, Type? castType, string? castTypeName)
    {
        if (castType is not null)
        {
            if (payload.DeclaredType is not null && payload.DeclaredType != castType)
            {
                throw ApiException.BadRequest("typeMismatch",
                    $"The URL creates a '{castTypeName}' but the body's @odata.type is '{payload.DeclaredTypeName}'. Make them agree or drop @odata.type from the body.",
                    "@odata.type");
            }

            return castType;
        }

        if (payload.DeclaredType is null)
        {
            // AspNetCoreOData #1087/#1165: the stock deserializer fails obscurely (even with a 500) on an abstract
            // set without @odata.type; we read bodies ourselves and say what to send instead.
            var types = string.Join(" or ", RunPayloadReader.ConcreteRunTypeNames(IndustryData.OData.Model.Edm.IndustryDataEdm.Model).Select(n => $"\"#{n}\""));
            throw ApiException.BadRequest("missingODataType",
                $"runs holds an abstract type, so the body must say which kind of run to create: add \"@odata.type\": {types}, or POST to /runs/<type name>.",
                "@odata.type");
        }

        return payload.DeclaredType;
    }

    private static void CheckImmutable(RunPayload payload, Run run)
    {
        if (payload.HasId && payload.Id != run.Id)
        {
            throw ApiException.BadRequest("readOnlyProperty", $"id cannot be changed (this run's id is '{run.Id}'). Remove id from the body.", "id");
        }

        if (payload.DeclaredType is not null && payload.DeclaredType != run.GetType())
        {
            throw ApiException.BadRequest("typeMismatch",
                $"The type of a run cannot be changed: this run is a '{RunTypeNames.Of(run)}', the body says '{payload.DeclaredTypeName}'. Create a new run of the other type instead.",
                "@odata.type");
        }
    }

    private static void RequireAll(RunPayload payload)
    {
        var missing = RequiredOnCreate.Where(name => !IsPresent(payload, name)).ToList();
        if (missing.Count > 0)
        {
            var details = missing
                .Select(name => new ErrorDetail("missingRequiredProperty", $"{name} is required.", name))
                .ToList();
            throw new ApiException(StatusCodes.Status400BadRequest, "missingRequiredProperty",
                $"The request body lacks the required {(missing.Count == 1 ? "property" : "properties")} {string.Join(", ", missing)}. A run needs displayName, startDateTime, status and statistics ({{}} is fine).",
                missing[0], details);
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

        if (payload.HasStatus)
        {
            if (payload.Status == RunStatus.UnknownFutureValue)
            {
                if (!partial)
                {
                    throw ApiException.BadRequest("invalidEnumValue",
                        "status 'unknownFutureValue' is a placeholder for members added in future versions and cannot be stored. Send running, failed, completed, completedWithErrors or completedWithWarnings.",
                        "status");
                }
            }
            else
            {
                run.Status = payload.Status!.Value;
            }
        }

        if (payload.HasBlockingError || !partial)
        {
            run.BlockingError = payload.BlockingError;
        }

        if (payload.HasStatistics)
        {
            run.Statistics = payload.Statistics!;
        }

        if (run.EndDateTime is { } end && end < run.StartDateTime)
        {
            throw ApiException.BadRequest("endBeforeStart",
                $"endDateTime ({end:O}) is before startDateTime ({run.StartDateTime:O}). A run cannot end before it starts; send a later endDateTime, or null while it is running.",
                "endDateTime");
        }
    }
}
