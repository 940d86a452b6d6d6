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

    private static string Hash(string text, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            hash.AppendData(bytes, 0, Encoding.UTF8.GetBytes(text, bytes));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }

        hash.AppendData(body);
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
