namespace IndustryData.OData.Service.Subscriptions.Outbound;

/// <summary>What came of one outbound call. <paramref name="Body"/> holds at most
/// <see cref="OutboundOptions.MaxResponseBytes"/> bytes of the answer, decoded as UTF-8; empty on failure.</summary>
public sealed record OutboundResponse(int? StatusCode, string? ContentType, string Body, OutboundFailure Failure, string? FailureReason)
{
    public bool IsSuccess => Failure == OutboundFailure.None && StatusCode is >= 200 and < 300;

    internal static OutboundResponse Failed(OutboundFailure failure, string reason) => new(null, null, "", failure, reason);
}
