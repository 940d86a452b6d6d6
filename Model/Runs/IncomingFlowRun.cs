namespace IndustryData.OData.Model.Runs;

public sealed class IncomingFlowRun : Run;
