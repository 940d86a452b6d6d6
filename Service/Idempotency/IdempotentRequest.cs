using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using IndustryData.OData.Service.Security;

namespace IndustryData.OData.Service.Idempotency;

/// <summary>
/// A create sent with an Idempotency-Key, reduced to two hashes: whose key it is (caller and key) and what was asked
/// (method, URL and body). A repeat is the same request when both hashes match.
/// </summary>
public sealed record IdempotentRequest(string KeyHash, string RequestHash)
{
    /// <summary>Set on an answer that repeats what the first request with the key answered.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public static IdempotentRequest For(HttpRequest request, string key, ReadOnlySpan<byte> body)
    {
        var caller = Callers.Qualified(request.HttpContext.User);
        var keyHash = Hash($"{caller.Length}:{caller}\n{key}", []);
        var requestHash = Hash($"{request.Method}\n{request.PathBase}{request.Path}{request.QueryString}\n", body);
        return new IdempotentRequest(keyHash, requestHash);
    }

    /// <summary>SHA-256 of the text's UTF-8 bytes followed by <paramref name="tail"/>, as upper-case hex.</summary>
    private static string Hash(string text, ReadOnlySpan<byte> tail)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length) + tail.Length);
        try
        {
            var length = Encoding.UTF8.GetBytes(text, buffer);
            tail.CopyTo(buffer.AsSpan(length));
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, length + tail.Length), hash);
            return Convert.ToHexString(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
