using IndustryData.OData.Service.Errors;

namespace IndustryData.OData.Service.Idempotency;

/// <summary>
/// Reads <c>Idempotency-Key</c> (draft-ietf-httpapi-idempotency-key-header): a structured-field string,
/// <c>"8e03978e-…"</c>, or — as most clients send it — the bare value, <c>8e03978e-…</c>. Both spellings are the same
/// key. A key is 1 to 255 printable ASCII characters.
/// </summary>
public static class IdempotencyKeyHeader
{
    public const string Name = "Idempotency-Key";
    public const int MaxLength = 255;

    /// <summary>The key, or null when the request has none; a malformed value is a 400 naming the header.</summary>
    public static string? Read(HttpRequest request)
    {
        var values = request.Headers[Name];
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            throw Invalid("was sent more than once. Send one key per request.");
        }

        var value = (values[0] ?? string.Empty).Trim(' ', '\t');
        var key = value.StartsWith('"') ? Unquote(value) : value;
        if (key.Length == 0)
        {
            throw Invalid("is empty. Send a unique value per create, such as a new GUID, and the same value when you retry it.");
        }

        if (key.Length > MaxLength)
        {
            throw Invalid($"is {key.Length} characters long; the most is {MaxLength}. A GUID is enough.");
        }

        if (key.Any(c => c is < ' ' or > '~'))
        {
            throw Invalid("contains a control or non-ASCII character. Use printable ASCII, such as a GUID.");
        }

        return key;
    }

    /// <summary>A structured-field string: quoted, with \" and \\ as its only escapes.</summary>
    private static string Unquote(string value)
    {
        if (value.Length < 2 || value[^1] != '"')
        {
            throw Invalid("starts with a quote but does not end with one. Send \"<key>\" or the bare key.");
        }

        var key = new System.Text.StringBuilder(value.Length - 2);
        for (var i = 1; i < value.Length - 1; i++)
        {
            if (value[i] == '\\')
            {
                if (i + 1 >= value.Length - 1 || value[i + 1] is not ('"' or '\\'))
                {
                    throw Invalid("has a backslash that is not followed by \" or \\ inside the quotes.");
                }

                i++;
            }
            else if (value[i] == '"')
            {
                throw Invalid("has an unescaped quote inside the quotes.");
            }

            key.Append(value[i]);
        }

        return key.ToString();
    }

    private static ApiException Invalid(string problem) =>
        ApiException.BadRequest("invalidIdempotencyKey", $"The {Name} header {problem}", Name);
}
