namespace IndustryData.OData.Model.Runs;

public sealed class OutgoingFlowRun : Run;
