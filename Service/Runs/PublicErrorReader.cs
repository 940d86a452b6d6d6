using System.Text.Json;
using IndustryData.OData.Model.Edm;
using IndustryData.OData.Model.Errors;
using static IndustryData.OData.Service.Runs.PayloadJson;

namespace IndustryData.OData.Service.Runs;

/// <summary>
/// Reads a microsoft.graph.publicError (blockingError) from JSON: code, message, target, details (publicErrorDetail
/// items) and innerError (open publicInnerError, whose undeclared members are kept as sent). Used by a run body
/// (<see cref="RunPayloadReader"/>) and by a write to blockingError or a value inside it (<see cref="RunPropertyWrite"/>).
/// A fault in a member is recorded with its path as target (blockingError/details/0/code) and reading goes on.
/// </summary>
internal static class PublicErrorReader
{
    public static PublicError Read(JsonElement value, string target, RunFaults faults)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw WrongType(target, "a microsoft.graph.publicError object with code, message, target, details and innerError, or null", value);
        }

        var error = new PublicError();
        foreach (var member in CheckedMembers(value, target, faults))
        {
            var memberTarget = target + "/" + member.Name;
            faults.Check(() => ReadPublicErrorMember(error, member, memberTarget, faults));
        }

        return error;
    }

    private static void ReadPublicErrorMember(PublicError error, JsonProperty member, string memberTarget, RunFaults faults)
    {
        switch (member.Name)
        {
            case ODataTypeAnnotation:
                CheckComplexType(member.Value, IndustryDataEdm.PublicErrorTypeName, memberTarget);
                break;
            case "code":
                error.Code = ReadOptionalString(member.Value, memberTarget);
                break;
            case "message":
                error.Message = ReadOptionalString(member.Value, memberTarget);
                break;
            case "target":
                error.Target = ReadOptionalString(member.Value, memberTarget);
                break;
            case "details":
                error.Details = ReadDetails(member.Value, memberTarget, faults);
                break;
            case "innerError":
                error.InnerError = member.Value.ValueKind == JsonValueKind.Null ? null : ReadInnerError(member.Value, memberTarget, faults);
                break;
            default:
                if (IsInstanceOrPropertyAnnotation(member.Name))
                {
                    break;
                }

                throw Invalid("unknownProperty", $"'{member.Name}' is not a property of microsoft.graph.publicError. Its properties are code, message, target, details and innerError.", memberTarget);
        }
    }

    private static PublicInnerError ReadInnerError(JsonElement value, string target, RunFaults faults)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw WrongType(target, "a microsoft.graph.publicInnerError object, or null", value);
        }

        var inner = new PublicInnerError();
        foreach (var member in CheckedMembers(value, target, faults))
        {
            var memberTarget = target + "/" + member.Name;
            faults.Check(() => ReadInnerErrorMember(inner, member, memberTarget, faults));
        }

        return inner;
    }

    private static void ReadInnerErrorMember(PublicInnerError inner, JsonProperty member, string memberTarget, RunFaults faults)
    {
        switch (member.Name)
        {
            case ODataTypeAnnotation:
                CheckComplexType(member.Value, "microsoft.graph.publicInnerError", memberTarget);
                break;
            case "code":
                inner.Code = ReadOptionalString(member.Value, memberTarget);
                break;
            case "message":
                inner.Message = ReadOptionalString(member.Value, memberTarget);
                break;
            case "target":
                inner.Target = ReadOptionalString(member.Value, memberTarget);
                break;
            case "details":
                inner.Details = ReadDetails(member.Value, memberTarget, faults);
                break;
            default:
                CheckOpenMemberName(member.Name, memberTarget);
                inner.OpenMembers[member.Name] = CompactJson.Of(member.Value);
                break;
        }
    }

    private static List<PublicErrorDetail>? ReadDetails(JsonElement value, string target, RunFaults faults)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(target, "an array of microsoft.graph.publicErrorDetail objects", value);
        }

        var details = new List<PublicErrorDetail>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemTarget = $"{target}/{index++}";
            if (item.ValueKind != JsonValueKind.Object)
            {
                faults.Add(WrongType(itemTarget, "a microsoft.graph.publicErrorDetail object with code, message and target", item));
                continue;
            }

            var detail = new PublicErrorDetail();
            foreach (var member in CheckedMembers(item, itemTarget, faults))
            {
                var memberTarget = itemTarget + "/" + member.Name;
                faults.Check(() => ReadDetailMember(detail, member, memberTarget));
            }

            details.Add(detail);
        }

        return details;
    }

    private static void ReadDetailMember(PublicErrorDetail detail, JsonProperty member, string memberTarget)
    {
        switch (member.Name)
        {
            case ODataTypeAnnotation:
                CheckComplexType(member.Value, "microsoft.graph.publicErrorDetail", memberTarget);
                break;
            case "code":
                detail.Code = ReadOptionalString(member.Value, memberTarget);
                break;
            case "message":
                detail.Message = ReadOptionalString(member.Value, memberTarget);
                break;
            case "target":
                detail.Target = ReadOptionalString(member.Value, memberTarget);
                break;
            default:
                if (IsInstanceOrPropertyAnnotation(member.Name))
                {
                    break;
                }

                throw Invalid("unknownProperty", $"'{member.Name}' is not a property of microsoft.graph.publicErrorDetail. Its properties are code, message and target.", memberTarget);
        }
    }
}
