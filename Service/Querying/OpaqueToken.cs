using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// A token the service hands out and takes back ($skiptoken, $deltatoken): a JSON array, prefixed with a check value
/// over it and what it is bound to (the query it belongs to), in base64url. An edited, truncated or foreign token fails
/// the check. The check is a plain hash, not a secret: a token grants nothing the caller could not ask for directly.
/// </summary>
public static class OpaqueToken
{
    private const int CheckLength = 12;

    public static string Create(string boundTo, Action<Utf8JsonWriter> writeItems)
    {
        var payload = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(payload))
        {
            writer.WriteStartArray();
            writeItems(writer);
            writer.WriteEndArray();
        }

        var token = new byte[CheckLength + payload.WrittenCount];
        Check(boundTo, payload.WrittenSpan).CopyTo(token);
        payload.WrittenSpan.CopyTo(token.AsSpan(CheckLength));
        return Base64Url.EncodeToString(token);
    }

    /// <summary>The token's items, or null if it is not a token made by <see cref="Create"/> for <paramref name="boundTo"/>.</summary>
    public static JsonDocument? Read(string token, string boundTo)
    {
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return null;
        }

        if (bytes.Length <= CheckLength || !CryptographicOperations.FixedTimeEquals(bytes.AsSpan(0, CheckLength), Check(boundTo, bytes.AsSpan(CheckLength))))
        {
            return null;
        }

        try
        {
            var document = JsonDocument.Parse(bytes.AsMemory(CheckLength));
            if (document.RootElement.ValueKind == JsonValueKind.Array)
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] Check(string boundTo, ReadOnlySpan<byte> payload)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(boundTo) + 1 + payload.Length];
        var written = Encoding.UTF8.GetBytes(boundTo, bytes);
        payload.CopyTo(bytes.AsSpan(written + 1));
        return SHA256.HashData(bytes)[..CheckLength];
    }
}
