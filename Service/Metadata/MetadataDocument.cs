using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;

namespace IndustryData.OData.Service.Metadata;

/// <summary>
/// The $metadata document in both CSDL formats, rendered once from the model at start-up; every request is served
/// from these bytes, with a strong ETag so clients and proxies can revalidate for free.
/// </summary>
public sealed class MetadataDocument
{
    public MetadataDocument(IEdmModel model)
    {
        Xml = RenderXml(model);
        Json = RenderJson(model);
        XmlETag = ETagOf(Xml);
        JsonETag = ETagOf(Json);
    }

    public byte[] Xml { get; }

    public byte[] Json { get; }

    public string XmlETag { get; }

    public string JsonETag { get; }

    private static byte[] RenderXml(IEdmModel model)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            if (!CsdlWriter.TryWriteCsdl(model, writer, CsdlTarget.OData, out var errors))
            {
                throw new InvalidOperationException("The model cannot be written as CSDL XML: " + string.Join("; ", errors));
            }
        }

        return stream.ToArray();
    }

    private static byte[] RenderJson(IEdmModel model)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            if (!CsdlWriter.TryWriteCsdl(model, writer, out var errors))
            {
                throw new InvalidOperationException("The model cannot be written as CSDL JSON: " + string.Join("; ", errors));
            }
        }

        return stream.ToArray();
    }

    private static string ETagOf(byte[] content) => "\"" + Convert.ToHexString(SHA256.HashData(content).AsSpan(0, 12)).ToLowerInvariant() + "\"";
}
