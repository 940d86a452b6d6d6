using IndustryData.OData.Model.Edm;
using IndustryData.OData.Model.Runs;

namespace IndustryData.OData.Service.Runs;

public static class RunTypeNames
{
    public static string Of(Run run) => run switch
    {
        OutgoingFlowRun => IndustryDataEdm.OutgoingFlowRunTypeName,
        IncomingFlowRun => IndustryDataEdm.IncomingFlowRunTypeName,
        _ => IndustryDataEdm.RunTypeName,
    };
}
