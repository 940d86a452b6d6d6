using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using IndustryData.OData.Model.Edm;
using IndustryData.OData.Model.Errors;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Errors;
using Microsoft.OData.Edm;
using Microsoft.OData.ModelBuilder;
using static IndustryData.OData.Service.Runs.PayloadJson;

namespace IndustryData.OData.Service.Runs;

/// <summary>
/// Reads a run from a JSON request body and checks every property on its own: JSON well-formedness and depth,
/// types, formats, enum members, unknown and read-only properties. Every message names the property at fault
/// and says how to fix it. This is the only place request bodies for runs are interpreted.
/// Faults in the body's structure (not JSON, too deep, not an object) stop reading at once; a fault in a property is
/// recorded in <see cref="RunPayload.Faults"/> and reading goes on, so one answer can list them all.
/// </summary>
public static partial class RunPayloadReader
{
    public const int MaxDepth = 32;

    private static readonly string[] ReadOnlyAnnotations = ["@odata.context", "@odata.id", "@odata.etag", "@odata.editLink", "@odata.readLink"];

    public static RunPayload Read(ReadOnlyMemory<byte> body)
    {
        using var document = Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("invalidRequestBody", $"The request body must be a JSON object describing a run, not a JSON {Describe(root.ValueKind)}.", null);
        }

        var payload = new RunPayload();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in root.EnumerateObject())
        {
            if (!seen.Add(member.Name))
            {
                payload.Faults.Add("duplicateProperty", $"The property '{member.Name}' appears more than once in the request body. Send each property once.", member.Name);
                continue;
            }

            payload.Faults.Check((payload, member), static state => ReadMember(state.payload, state.member.Name, state.member.Value));
        }

        return payload;
    }

    /// <summary>Parses a body after checking its structure (depth, Unicode); an empty or malformed body is a 400.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty || body.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw Invalid("emptyRequestBody", "The request body is empty. Send a JSON object describing the run, e.g. {\"@odata.type\":\"#microsoft.graph.industryData.outgoingFlowRun\", \"displayName\":\"...\", ...}.", null);
        }

        CheckStructure(body.Span);
        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException exception)
        {
            throw MalformedJson(exception);
        }
    }

    /// <summary>
    /// Rejects nesting beyond <see cref="MaxDepth"/> before building anything, so deep input costs nothing, and
    /// strings that are not Unicode (an escaped unpaired surrogate such as \ud800, or bytes that are not UTF-8): the
    /// parser lets those through, but whatever reads them later (open members are re-serialized) throws.
    /// </summary>
    private static void CheckStructure(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth + 1 });
        string? topLevelProperty = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= MaxDepth)
                {
                    throw Invalid("jsonTooDeep", $"The request body nests objects and arrays more than {MaxDepth} levels deep (at byte {reader.TokenStartIndex}). Flatten the JSON to at most {MaxDepth} levels.", null);
                }

                if (reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String)
                {
                    var text = reader.ValueIsEscaped ? UnicodeOrNull(ref reader) : null;
                    if (reader.ValueIsEscaped ? text is null : !Utf8.IsValid(reader.ValueSpan))
                    {
                        var target = reader.TokenType == JsonTokenType.String && reader.CurrentDepth == 1 ? topLevelProperty : null;
                        throw Invalid("invalidString",
                            $"The request body has a string{(target is null ? string.Empty : $" in {target}")} that is not valid Unicode (an unpaired UTF-16 surrogate such as \\ud800, or bytes that are not UTF-8) at byte {reader.TokenStartIndex}. Send valid UTF-8 text.",
                            target);
                    }

                    if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                    {
                        topLevelProperty = text ?? reader.GetString();
                    }
                }
            }
        }
        catch (JsonException exception)
        {
            throw MalformedJson(exception);
        }
    }

    private static string? UnicodeOrNull(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static ApiException MalformedJson(JsonException exception)
    {
        var where = exception.LineNumber is { } line ? $" at line {line + 1}, position {exception.BytePositionInLine + 1}" : string.Empty;
        return Invalid("malformedJson", $"The request body is not valid JSON{where}. Check quotes, commas and brackets, and send UTF-8 encoded JSON.", null);
    }

    /// <summary>
    /// The body of a write to one property, as the property's new value (a complex value, or a primitive's JSON value):
    /// read and checked exactly as that property of a run body, faults included.
    /// </summary>
    public static RunPayload ReadProperty(string name, JsonElement value)
    {
        var payload = new RunPayload();
        payload.Faults.Check((payload, name, value), static state => ReadMember(state.payload, state.name, state.value));
        return payload;
    }

    private static void ReadMember(RunPayload payload, string name, JsonElement value)
    {
        switch (name)
        {
            case ODataTypeAnnotation:
                payload.HasDeclaredType = true;
                (payload.DeclaredType, payload.DeclaredTypeName) = ReadRunType(value);
                break;
            case "id":
                payload.HasId = true;
                payload.Id = value.ValueKind == JsonValueKind.String ? ReadString(value, name) : value.ToString();
                break;
            case "displayName":
                payload.HasDisplayName = true;
                payload.DisplayName = ReadDisplayName(value);
                break;
            case "startDateTime":
                payload.HasStartDateTime = true;
                payload.StartDateTime = ReadDateTime(value, name, nullable: false);
                break;
            case "endDateTime":
                payload.HasEndDateTime = true;
                payload.EndDateTime = ReadDateTime(value, name, nullable: true);
                break;
            case "status":
                payload.HasStatus = true;
                payload.Status = ReadStatus(value);
                break;
            case "blockingError":
                payload.HasBlockingError = true;
                payload.BlockingError = value.ValueKind == JsonValueKind.Null ? null : PublicErrorReader.Read(value, name, payload.Faults);
                break;
            case "statistics":
                payload.HasStatistics = true;
                payload.Statistics = ReadStatistics(value, payload.Faults);
                break;
            default:
                if (ReadOnlyAnnotations.Contains(name, StringComparer.Ordinal) || IsInstanceOrPropertyAnnotation(name))
                {
                    // Control information a client may echo back from a response; it never changes what is stored.
                    break;
                }

                throw Invalid("unknownProperty",
                    $"'{name}' is not a property of microsoft.graph.industryData.run. Its properties are displayName, startDateTime, endDateTime, status, blockingError and statistics (names are case-sensitive).",
                    name);
        }
    }

    public static (Type Type, string Name) ResolveRunType(string typeName, string target)
    {
        var name = typeName.StartsWith('#') ? typeName[1..] : typeName;
        var model = IndustryDataEdm.Model;
        var concrete = ConcreteRunTypeNames(model);
        var options = string.Join(" or ", concrete.Select(n => $"'#{n}'"));
        var schemaType = model.FindDeclaredType(name);
        if (schemaType is null)
        {
            throw Invalid("unknownType", $"'{typeName}' is not a type this service knows. Use {options}.", target);
        }

        if (schemaType is not IEdmEntityType entityType || !entityType.InheritsFrom((IEdmStructuredType)model.FindDeclaredType(IndustryDataEdm.RunTypeName)!))
        {
            if (schemaType.FullName() == IndustryDataEdm.RunTypeName)
            {
                throw Invalid("abstractType", $"microsoft.graph.industryData.run is abstract and cannot be created. Use {options}.", target);
            }

            throw Invalid("typeNotDerivedFromRun", $"'{name}' is not a kind of run. Use {options}.", target);
        }

        if (entityType.IsAbstract)
        {
            throw Invalid("abstractType", $"'{name}' is abstract and cannot be created. Use {options}.", target);
        }

        var clrType = model.GetAnnotationValue<ClrTypeAnnotation>(entityType).ClrType;
        return (clrType, name);
    }

    public static IReadOnlyList<string> ConcreteRunTypeNames(IEdmModel model)
    {
        var run = (IEdmEntityType)model.FindDeclaredType(IndustryDataEdm.RunTypeName)!;
        return model.FindAllDerivedTypes(run).OfType<IEdmEntityType>().Where(t => !t.IsAbstract).Select(t => t.FullName()).ToList();
    }

    private static (Type, string) ReadRunType(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw WrongType(ODataTypeAnnotation, "a string such as \"#microsoft.graph.industryData.outgoingFlowRun\"", value);
        }

        return ResolveRunType(ReadString(value, ODataTypeAnnotation), ODataTypeAnnotation);
    }

    private static string ReadDisplayName(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw WrongType("displayName", "a string of 1 to 256 characters", value);
        }

        var text = ReadString(value, "displayName");
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Invalid("invalidValue", "displayName must not be empty or only whitespace. Send 1 to 256 characters.", "displayName");
        }

        if (text.Length > Storage.RunConfiguration.DisplayNameMaxLength)
        {
            throw Invalid("valueTooLong", $"displayName has {text.Length} characters; the limit is {Storage.RunConfiguration.DisplayNameMaxLength}.", "displayName");
        }

        return text;
    }

    private static DateTimeOffset? ReadDateTime(JsonElement value, string name, bool nullable)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return nullable ? null : throw Invalid("nullNotAllowed", $"{name} cannot be null. Send a date-time such as \"2026-01-31T09:30:00Z\".", name);
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw WrongType(name, "an ISO 8601 date-time string with a time zone, such as \"2026-01-31T09:30:00Z\"", value);
        }

        var text = ReadString(value, name);
        if (!DateTimeOffsetPattern().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            throw Invalid("invalidDateTime",
                $"{name} '{Shorten(text)}' is not a valid date-time. Use ISO 8601 with a time zone, e.g. \"2026-01-31T09:30:00Z\" or \"2026-01-31T10:30:00.123+01:00\" (at most 7 fractional digits).",
                name);
        }

        return parsed.ToUniversalTime();
    }

    private static RunStatus? ReadStatus(JsonElement value)
    {
        const string members = "running, failed, completed, completedWithErrors or completedWithWarnings";
        if (value.ValueKind == JsonValueKind.Null)
        {
            throw Invalid("nullNotAllowed", $"status cannot be null. Send one of {members}.", "status");
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw WrongType("status", $"a string naming a runStatus member ({members})", value);
        }

        var text = ReadString(value, "status");
        var member = RunStatusNames.Parse(text);
        if (member is null)
        {
            var hint = RunStatusNames.SuggestFor(text) is { } suggestion ? $" Did you mean '{suggestion}'? Member names are case-sensitive." : string.Empty;
            throw Invalid("invalidEnumValue", $"status '{Shorten(text)}' is not a member of microsoft.graph.industryData.runStatus. Send one of {members}.{hint}", "status");
        }

        return member;
    }

    private static RunStatistics? ReadStatistics(JsonElement value, RunFaults faults)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            throw Invalid("nullNotAllowed", "statistics cannot be null. Send an object; {} is fine when there is nothing to report.", "statistics");
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw WrongType("statistics", "a JSON object (runStatistics is open: any members are kept)", value);
        }

        var members = new List<KeyValuePair<string, JsonElement>>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var valid = true;
        foreach (var member in value.EnumerateObject())
        {
            var target = "statistics/" + member.Name;
            if (member.Name == ODataTypeAnnotation)
            {
                valid &= faults.Check((member.Value, target), static state => CheckComplexType(state.Value, IndustryDataEdm.RunStatisticsTypeName, state.target));
                continue;
            }

            if (!faults.Check((member.Name, target), static state => CheckOpenMemberName(state.Name, state.target)))
            {
                valid = false;
                continue;
            }

            if (!names.Add(member.Name))
            {
                faults.Add("duplicateProperty", $"statistics has the member '{member.Name}' more than once. Send each member once.", target);
                valid = false;
                continue;
            }

            members.Add(new(member.Name, member.Value));
        }

        if (!valid)
        {
            return null;
        }

        // Kept in the stored form from the start: the 201 and every later read carry the same bytes, and a create
        // never parses the members a second time.
        return RunStatistics.FromStoredJson(CompactJson.Object(members));
    }

    // OData's dateTimeOffsetValue: seconds optional, fraction up to 7 digits (what DateTimeOffset holds), zone required.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimeOffsetPattern();
}
