namespace IndustryData.OData.Service.Batch;

/// <summary>One request of a batch, in either format.</summary>
public sealed class BatchPart
{
    public required string Id { get; init; }

    public required string Method { get; init; }

    public required string Url { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>Requests with the same group commit together or not at all (a multipart change set, a JSON atomicityGroup).</summary>
    public string? AtomicityGroup { get; init; }

    public IReadOnlyList<string> DependsOn { get; init; } = [];
}

/// <summary>The outcome of one part, ready to be written back in the batch's format.</summary>
public sealed class BatchPartResponse
{
    public required BatchPart Part { get; init; }

    public int Status { get; set; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public byte[] Body { get; set; } = [];

    /// <summary>The runs this part created, updated or deleted, counted once the batch commits (and only if this part's work was kept).</summary>
    public IReadOnlyList<Action<Telemetry.ServiceMetrics>> RunChanges { get; set; } = [];

    public bool Succeeded => Status is >= 200 and < 400;
}
