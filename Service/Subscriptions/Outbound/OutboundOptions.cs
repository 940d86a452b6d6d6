namespace IndustryData.OData.Service.Subscriptions.Outbound;

/// <summary>Bound from the "Subscriptions:Outbound" section: how the service calls URLs that callers supply.</summary>
public sealed class OutboundOptions
{
    public const string Section = "Subscriptions:Outbound";

    /// <summary>
    /// Whether receivers on this machine may be called: <c>http://</c> to a loopback host (127.0.0.0/8, ::1 or
    /// "localhost") and connections to loopback addresses. Defaults to true in Development (see
    /// <see cref="OutboundServiceCollectionExtensions.AddOutboundHttp"/>), false elsewhere. Private, link-local and
    /// cloud metadata addresses are refused whatever this says.
    /// </summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Resolving the host and opening the TCP connection.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The whole call: connecting, sending, and reading the receiver's (bounded) answer.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most bytes of a receiver's answer that are read; the rest is discarded.</summary>
    public int MaxResponseBytes { get; set; } = 4096;
}
