using IndustryData.OData.Model.Edm;
using IndustryData.OData.Model.Runs;

namespace IndustryData.OData.Service.Runs;

public static class RunTypeNames
{
    public static string Of(Run run) => Of(run.GetType());

    public static string Of(Type clrType) =>
        clrType == typeof(OutgoingFlowRun) ? IndustryDataEdm.OutgoingFlowRunTypeName
        : clrType == typeof(IncomingFlowRun) ? IndustryDataEdm.IncomingFlowRunTypeName
        : IndustryDataEdm.RunTypeName;
}
