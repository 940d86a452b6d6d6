namespace IndustryData.OData.Service.Storage;

/// <summary>
/// A create made with an Idempotency-Key: written in the same transaction as its run, so neither exists without the
/// other. Caller and key are stored only as a hash (no token subject in the table, one fixed-size column to index).
/// </summary>
public sealed class IdempotencyRecord
{
    /// <summary>SHA-256 (hex) of the caller and the key: the record's identity.</summary>
    public string KeyHash { get; set; } = string.Empty;

    /// <summary>SHA-256 (hex) of the method, URL and body of the request that used the key first.</summary>
    public string RequestHash { get; set; } = string.Empty;

    /// <summary>The run that request created.</summary>
    public string RunId { get; set; } = string.Empty;

    /// <summary>When the key was used (UTC); it expires a configured time later.</summary>
    public DateTime CreatedAt { get; set; }
}
