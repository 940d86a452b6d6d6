using System.Text.Json;

namespace IndustryData.OData.Bench.Baseline;

/// <summary>
/// Reads a create body the way the service must: well-formed JSON object, each property once, known properties of the
/// right JSON type and format, required ones present, @odata.type one of the concrete run types, end not before start.
/// </summary>
internal static class RunBody
{
    public const int MaxDepth = 32;
    public const int DisplayNameMaxLength = 256;
    private const string Namespace = "#microsoft.graph.industryData.";

    public static async Task<StoredRun> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = MaxDepth }, cancellationToken);
        }
        catch (JsonException exception)
        {
            throw new BadRequestException("invalidRequestBody", $"The request body is not valid JSON: {exception.Message}");
        }

        using (document)
        {
            return Read(document.RootElement);
        }
    }

    private static StoredRun Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new BadRequestException("invalidRequestBody", "The request body must be a JSON object describing a run.");
        }

        string? type = null;
        string? displayName = null;
        DateTime? start = null;
        DateTime? end = null;
        int? status = null;
        string? blockingError = null;
        string? statistics = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in root.EnumerateObject())
        {
            if (!seen.Add(member.Name))
            {
                throw new BadRequestException("duplicateProperty", $"The property '{member.Name}' appears more than once.");
            }

            var value = member.Value;
            switch (member.Name)
            {
                case "@odata.type":
                    type = value.ValueKind == JsonValueKind.String ? ConcreteType(value.GetString()!) : null;
                    if (type is null)
                    {
                        throw new BadRequestException("invalidODataType", "@odata.type must name outgoingFlowRun or incomingFlowRun.");
                    }

                    break;
                case "id":
                    throw new BadRequestException("readOnlyProperty", "id is assigned by the service.");
                case "displayName":
                    displayName = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                    if (displayName is null || displayName.Length > DisplayNameMaxLength)
                    {
                        throw new BadRequestException("invalidValue", $"displayName must be a string of at most {DisplayNameMaxLength} characters.");
                    }

                    break;
                case "startDateTime":
                    start = DateTimeValue(value, "startDateTime") ?? throw new BadRequestException("invalidValue", "startDateTime cannot be null.");
                    break;
                case "endDateTime":
                    end = DateTimeValue(value, "endDateTime");
                    break;
                case "status":
                    status = value.ValueKind == JsonValueKind.String ? RunStatuses.Parse(value.GetString()) : null;
                    if (status is null or RunStatuses.UnknownFutureValue)
                    {
                        throw new BadRequestException("invalidEnumValue", "status must be a runStatus member other than unknownFutureValue.");
                    }

                    break;
                case "statistics":
                    statistics = value.ValueKind == JsonValueKind.Object ? value.GetRawText() : throw new BadRequestException("invalidValue", "statistics must be a JSON object.");
                    break;
                case "blockingError":
                    blockingError = value.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.Object => value.GetRawText(),
                        _ => throw new BadRequestException("invalidValue", "blockingError must be an object or null."),
                    };
                    break;
                default:
                    if (!member.Name.StartsWith('@'))
                    {
                        throw new BadRequestException("unknownProperty", $"'{member.Name}' is not a property of a run.");
                    }

                    break;
            }
        }

        if (type is null || displayName is null || start is null || status is null || statistics is null)
        {
            throw new BadRequestException("missingRequiredProperty", "A run needs @odata.type, displayName, startDateTime, status and statistics.");
        }

        if (end is { } endValue && endValue < start.Value)
        {
            throw new BadRequestException("endBeforeStart", "endDateTime is before startDateTime.");
        }

        return new StoredRun(Guid.CreateVersion7().ToString(), type, displayName, start.Value, end, status.Value, blockingError, statistics, 1);
    }

    private static string? ConcreteType(string name)
    {
        var local = name.StartsWith(Namespace, StringComparison.Ordinal) ? name[Namespace.Length..]
            : name.StartsWith(Namespace[1..], StringComparison.Ordinal) ? name[(Namespace.Length - 1)..]
            : null;
        return local is "outgoingFlowRun" or "incomingFlowRun" ? local : null;
    }

    private static DateTime? DateTimeValue(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var parsed))
        {
            return parsed.UtcDateTime;
        }

        throw new BadRequestException("invalidValue", $"{name} must be an ISO 8601 date and time with an offset, e.g. 2024-05-01T12:00:00Z.");
    }
}

/// <summary>A 400 with a Graph-style error body.</summary>
internal sealed class BadRequestException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
