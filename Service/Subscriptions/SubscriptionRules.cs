using System.Globalization;
using System.Text.Json;
using IndustryData.OData.Model.Edm;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Runs;
using IndustryData.OData.Service.Subscriptions.Outbound;

namespace IndustryData.OData.Service.Subscriptions;

/// <summary>What a subscription body may say (contract §11): every fault of a body answered together in one 400.</summary>
public sealed class SubscriptionRules(SubscriptionOptions options, OutboundOptions outbound, TimeProvider clock)
{
    private static readonly string[] Writable = ["changeType", "resource", "notificationUrl", "lifecycleNotificationUrl", "expirationDateTime", "clientState"];
    private static readonly string[] ReadOnly = ["id", "applicationId", "creatorId"];

    /// <summary>A POST body, checked; nothing is stored or called before it passes.</summary>
    public SubscriptionRecord ReadCreate(ReadOnlyMemory<byte> body)
    {
        var faults = new RunFaults();
        using var document = Parse(body);
        var values = Members(document.RootElement, faults, creating: true);
        var subscription = new SubscriptionRecord();
        faults.Check(() => subscription.ChangeTypes = ChangeTypesOf(Required(values, "changeType")));
        faults.Check(() => subscription.Resource = ResourceOf(Required(values, "resource")));
        faults.Check(() => subscription.NotificationUrl = UrlOf(Required(values, "notificationUrl"), "notificationUrl"));
        faults.Check(() => subscription.LifecycleNotificationUrl = Optional(values, "lifecycleNotificationUrl") is { } url ? UrlOf(url, "lifecycleNotificationUrl") : null);
        faults.Check(() => subscription.ExpirationDateTime = ExpirationOf(Required(values, "expirationDateTime")));
        faults.Check(() => subscription.ClientState = ClientStateOf(Optional(values, "clientState")));
        faults.ThrowIfAny();
        return subscription;
    }

    /// <summary>A PATCH body: renewal (expirationDateTime), and a new notificationUrl, which is validated again.</summary>
    public (DateTime? Expiration, string? NotificationUrl) ReadRenewal(ReadOnlyMemory<byte> body)
    {
        var faults = new RunFaults();
        using var document = Parse(body);
        var values = Members(document.RootElement, faults, creating: false);
        DateTime? expiration = null;
        string? notificationUrl = null;
        faults.Check(() => expiration = Optional(values, "expirationDateTime") is { } text ? ExpirationOf(text) : null);
        faults.Check(() => notificationUrl = Optional(values, "notificationUrl") is { } url ? UrlOf(url, "notificationUrl") : null);
        foreach (var name in values.Keys.Where(name => name is not ("expirationDateTime" or "notificationUrl")))
        {
            faults.Add("propertyNotUpdatable", $"{name} cannot be changed on a subscription: only expirationDateTime (renewal) and notificationUrl can. Delete the subscription and create a new one instead.", name);
        }

        if (values.Count == 0)
        {
            faults.Add("missingRequiredProperty", "Send the new expirationDateTime to renew the subscription.", "expirationDateTime");
        }

        faults.ThrowIfAny();
        return (expiration, notificationUrl);
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw ApiException.BadRequest("invalidRequestBody", "The body must be a JSON object describing the subscription.");
            }

            return document;
        }
        catch (JsonException exception)
        {
            throw ApiException.BadRequest("malformedJson", $"The body is not valid JSON ({exception.Message}). Send a JSON object.");
        }
    }

    /// <summary>The body's writable members as strings (null for JSON null); other members become faults.</summary>
    private static Dictionary<string, string?> Members(JsonElement root, RunFaults faults, bool creating)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var member in root.EnumerateObject())
        {
            switch (member.Name)
            {
                case "@odata.type":
                    if (member.Value.ValueKind != JsonValueKind.String || member.Value.GetString()?.TrimStart('#') != IndustryDataEdm.SubscriptionTypeName)
                    {
                        faults.Add("invalidODataType", $"@odata.type must be #{IndustryDataEdm.SubscriptionTypeName} (or left out).", "@odata.type");
                    }

                    break;
                case "includeResourceData":
                    if (member.Value.ValueKind == JsonValueKind.True)
                    {
                        faults.Add("notSupported", "includeResourceData=true is not supported: notifications carry the run's id, type and ETag; read the run with the resource URL each one names.", member.Name);
                    }

                    break;
                case "latestSupportedTlsVersion":
                    break; // Graph's setting for old receivers; this service connects with the TLS versions the OS allows.
                case var name when ReadOnly.Contains(name):
                    faults.Add("readOnlyProperty", $"{name} is set by the service; leave it out of the body.", name);
                    break;
                case var name when Writable.Contains(name):
                    if (member.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                    {
                        faults.Add("invalidPropertyType", $"{name} must be a JSON string.", name);
                    }
                    else if (values.ContainsKey(name))
                    {
                        faults.Add("duplicateProperty", $"{name} is given twice; give it once.", name);
                    }
                    else
                    {
                        values[name] = member.Value.GetString();
                    }

                    break;
                default:
                    faults.Add("unknownProperty", $"'{member.Name}' is not a property of a subscription{(creating ? string.Empty : " that can be changed")}. Properties: {string.Join(", ", Writable)}.", member.Name);
                    break;
            }
        }

        return values;
    }

    private static string Required(Dictionary<string, string?> values, string name) =>
        values.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw ApiException.BadRequest("missingRequiredProperty", $"{name} is required.", name);

    private static string? Optional(Dictionary<string, string?> values, string name) =>
        values.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static ChangeTypes ChangeTypesOf(string text) => ChangeTypeNames.Parse(text) ?? throw ApiException.BadRequest("invalidChangeType",
        $"changeType '{text}' is not valid: give one or more of {ChangeTypeNames.AllowedList}, separated by commas, each once (e.g. \"created,updated\").", "changeType");

    private static string ResourceOf(string text)
    {
        if (text.Length > SubscriptionStorage.ResourceMaxLength)
        {
            throw ApiException.BadRequest("invalidResource", $"resource is longer than {SubscriptionStorage.ResourceMaxLength} characters.", "resource");
        }

        SubscriptionResource.Parse(text, out var refusal);
        return refusal is null ? text.Trim().TrimStart('/') : throw ApiException.BadRequest("invalidResource", refusal, "resource");
    }

    private string UrlOf(string text, string property)
    {
        if (text.Length > SubscriptionStorage.UrlMaxLength || !Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            throw ApiException.BadRequest("invalidUrl", $"{property} must be an absolute https URL of at most {SubscriptionStorage.UrlMaxLength} characters.", property);
        }

        return OutboundUrlRules.Refusal(url, outbound, property) is { } refusal
            ? throw ApiException.BadRequest("invalidUrl", refusal, property)
            : text;
    }

    private DateTime ExpirationOf(string text)
    {
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            throw ApiException.BadRequest("invalidDateTime", $"expirationDateTime '{text}' is not a date-time; send ISO 8601 with an offset, e.g. 2026-01-01T00:00:00Z.", "expirationDateTime");
        }

        var now = clock.GetUtcNow();
        var latest = now + options.MaxLifetime;
        if (value <= now)
        {
            throw ApiException.BadRequest("invalidExpirationDateTime", $"expirationDateTime {value.UtcDateTime:O} is not in the future. Send a time between now and {latest.UtcDateTime:O} ({options.MaxLifetime.TotalMinutes:0} minutes from now).", "expirationDateTime");
        }

        if (value > latest)
        {
            throw ApiException.BadRequest("invalidExpirationDateTime", $"expirationDateTime {value.UtcDateTime:O} is beyond the maximum lifetime of {options.MaxLifetime.TotalMinutes:0} minutes. Send a time no later than {latest.UtcDateTime:O}, and renew with PATCH before it passes.", "expirationDateTime");
        }

        return value.UtcDateTime;
    }

    private static string? ClientStateOf(string? text) => text is { Length: > SubscriptionStorage.ClientStateMaxLength }
        ? throw ApiException.BadRequest("invalidClientState", $"clientState is {text.Length} characters long; it may be at most {SubscriptionStorage.ClientStateMaxLength}.", "clientState")
        : text;
}
