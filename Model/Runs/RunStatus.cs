namespace IndustryData.OData.Model.Runs;

/// <summary>microsoft.graph.industryData.runStatus; values are part of the contract.</summary>
public enum RunStatus
{
    Running = 0,
    Failed = 1,
    Completed = 2,
    CompletedWithErrors = 3,
    CompletedWithWarnings = 4,
    UnknownFutureValue = 5,
}
