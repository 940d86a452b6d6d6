namespace IndustryData.OData.Service.Subscriptions.Outbound;

/// <summary>Thrown inside the connect step when a host resolves to no address the service may call; it reaches
/// <see cref="OutboundHttp"/> wrapped in an HttpRequestException and becomes <see cref="OutboundFailure.RefusedAddress"/>.</summary>
internal sealed class OutboundAddressRefusedException(string message) : Exception(message);
