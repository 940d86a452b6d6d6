namespace IndustryData.OData.Service.Subscriptions.Outbound;

/// <summary>Why an outbound call produced no answer from the receiver.</summary>
public enum OutboundFailure
{
    /// <summary>The receiver answered (with any status, including 3xx and errors).</summary>
    None,

    /// <summary>The host resolved only to addresses the service does not call (private, metadata, …).</summary>
    RefusedAddress,

    /// <summary>The URL itself breaks <see cref="OutboundUrlRules"/>; nothing was resolved or connected.</summary>
    RefusedUrl,

    /// <summary>No connection within the connect timeout, or no complete answer within the response timeout.</summary>
    Timeout,

    /// <summary>The host could not be resolved, or the connection (TCP or TLS) could not be established.</summary>
    ConnectFailed,

    /// <summary>Anything else, such as a malformed answer or a connection dropped mid-answer.</summary>
    Other,
}
