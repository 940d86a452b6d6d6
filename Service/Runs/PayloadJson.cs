using System.Text.Json;
using IndustryData.OData.Service.Errors;

namespace IndustryData.OData.Service.Runs;

/// <summary>
/// The small readings every part of a run body shares (<see cref="RunPayloadReader"/>, <see cref="PublicErrorReader"/>):
/// strings, annotations, member names and the wording of a wrong JSON type. Each refusal is a 400 naming its target.
/// </summary>
internal static class PayloadJson
{
    public const string ODataTypeAnnotation = "@odata.type";

    /// <summary><c>@namespace.term</c> or <c>property@namespace.term</c>: annotations, which OData lets a service ignore.</summary>
    internal static bool IsInstanceOrPropertyAnnotation(string name)
    {
        var at = name.IndexOf('@', StringComparison.Ordinal);
        return at >= 0 && name.IndexOf('.', at) > at + 1;
    }
    /// <summary>The members of an object, each name once: a repeated name is recorded as a fault and skipped.</summary>
    internal static IEnumerable<JsonProperty> CheckedMembers(JsonElement value, string target, RunFaults faults)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in value.EnumerateObject())
        {
            if (!seen.Add(member.Name))
            {
                faults.Add("duplicateProperty", $"{target} has the property '{member.Name}' more than once. Send each property once.", target + "/" + member.Name);
                continue;
            }

            yield return member;
        }
    }

    /// <summary>
    /// Names of open members go out as JSON property names through the OData writer, which reserves '@', ':' and '.'
    /// for annotations and qualified names; refuse them here with a clear message rather than fail when reading back.
    /// </summary>
    internal static void CheckOpenMemberName(string name, string target)
    {
        if (name.Length == 0 || name.AsSpan().IndexOfAny("@:.") >= 0)
        {
            throw Invalid("invalidPropertyName",
                $"The member name '{Shorten(name)}' cannot be stored: names must be non-empty and may not contain '@', ':' or '.' (OData reserves them for annotations). Rename it, e.g. with '_' instead.",
                target);
        }
    }

    internal static void CheckComplexType(JsonElement value, string expected, string target)
    {
        var text = value.ValueKind == JsonValueKind.String ? ReadString(value, target) : null;
        var name = text?.StartsWith('#') == true ? text[1..] : text;
        if (name != expected)
        {
            throw Invalid("typeMismatch", $"{target} must be '{expected}' (with or without a leading '#'), not {(text is null ? value.ValueKind.ToString().ToLowerInvariant() : $"'{Shorten(text)}'")}.", target);
        }
    }

    internal static string? ReadOptionalString(JsonElement value, string target) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => ReadString(value, target),
        _ => throw WrongType(target, "a string or null", value),
    };

    internal static string ReadString(JsonElement value, string target)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw Invalid("invalidString", $"{target} contains an invalid escape sequence (an unpaired UTF-16 surrogate). Send valid Unicode text.", target);
        }
    }

    internal static ApiException WrongType(string target, string expected, JsonElement actual) =>
        Invalid("invalidPropertyType", $"{target} must be {expected}, but the request sent a JSON {Describe(actual.ValueKind)}.", target);

    internal static ApiException Invalid(string code, string message, string? target) => ApiException.BadRequest(code, message, target);

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };

    internal static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
