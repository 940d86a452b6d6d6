namespace IndustryData.OData.Bench.Baseline;

/// <summary>The CSDL XML from edm/, read once and served as it is (the service also serves a precomputed document).</summary>
internal sealed class MetadataFile(byte[] content)
{
    public static MetadataFile Load(string path) => new(File.ReadAllBytes(path));

    public Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        response.Headers["OData-Version"] = "4.0";
        response.ContentType = "application/xml; charset=utf-8";
        response.ContentLength = content.Length;
        return response.Body.WriteAsync(content, context.RequestAborted).AsTask();
    }
}
