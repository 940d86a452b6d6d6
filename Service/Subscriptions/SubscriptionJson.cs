using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using IndustryData.OData.Model.Edm;

namespace IndustryData.OData.Service.Subscriptions;

/// <summary>A subscription as OData JSON (Graph's shape); clientState is write-only and reads back as null.</summary>
public static class SubscriptionJson
{
    /// <summary>As Graph writes it: runs('…') with its quotes, not \u0027.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Utc(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static byte[] Entity(string serviceRoot, SubscriptionRecord subscription, bool echoClientState)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, SubscriptionJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("@odata.context", $"{serviceRoot}/$metadata#{IndustryDataEdm.SubscriptionsEntitySetName}/$entity");
            Write(json, subscription, echoClientState);
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    public static byte[] Collection(string serviceRoot, IEnumerable<SubscriptionRecord> subscriptions)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, SubscriptionJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("@odata.context", $"{serviceRoot}/$metadata#{IndustryDataEdm.SubscriptionsEntitySetName}");
            json.WriteStartArray("value");
            foreach (var subscription in subscriptions)
            {
                WriteItem(json, null, subscription);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>A subscription inside another payload ($all, $crossjoin), with its own context URL when one is given.</summary>
    public static void WriteItem(Utf8JsonWriter json, string? contextUrl, SubscriptionRecord subscription)
    {
        json.WriteStartObject();
        if (contextUrl is not null)
        {
            json.WriteString("@odata.context", contextUrl);
        }

        Write(json, subscription, echoClientState: false);
        json.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter json, SubscriptionRecord subscription, bool echoClientState)
    {
        json.WriteString("@odata.type", "#" + IndustryDataEdm.SubscriptionTypeName);
        json.WriteString("id", subscription.Id);
        json.WriteString("resource", subscription.Resource);
        json.WriteString("changeType", ChangeTypeNames.Format(subscription.ChangeTypes));
        if (echoClientState && subscription.ClientState is not null)
        {
            json.WriteString("clientState", subscription.ClientState);
        }
        else
        {
            json.WriteNull("clientState");
        }

        json.WriteString("notificationUrl", subscription.NotificationUrl);
        WriteNullable(json, "lifecycleNotificationUrl", subscription.LifecycleNotificationUrl);
        json.WriteString("expirationDateTime", Utc(subscription.ExpirationDateTime));
        WriteNullable(json, "applicationId", subscription.ApplicationId);
        WriteNullable(json, "creatorId", subscription.CreatorId);
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
