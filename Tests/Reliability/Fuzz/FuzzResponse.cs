namespace IndustryData.OData.Tests.Reliability.Fuzz;

/// <summary>What came back for a <see cref="HostileRequest"/>: the response, or the exception the in-memory server threw.</summary>
public sealed record FuzzResponse(HttpResponseMessage? Response, string Text, Exception? Thrown)
{
    public int Status => Response is null ? 0 : (int)Response.StatusCode;
}
