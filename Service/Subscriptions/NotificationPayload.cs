using System.Globalization;
using System.Text.Json;
using IndustryData.OData.Model.Edm;

namespace IndustryData.OData.Service.Subscriptions;

/// <summary>Graph's changeNotificationCollection: what a receiver gets, for changes and for lifecycle events.</summary>
public static class NotificationPayload
{
    /// <summary>One POST's body: a notification per change, in commit order.</summary>
    public static byte[] Changes(SubscriptionRecord subscription, IReadOnlyList<RunChange> changes)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, SubscriptionJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteStartArray("value");
            foreach (var change in changes)
            {
                var resource = $"runs('{change.RunId.Replace("'", "''", StringComparison.Ordinal)}')";
                json.WriteStartObject();
                // Stable across redeliveries: a receiver can drop a duplicate by (subscriptionId, id).
                json.WriteString("id", change.Sequence.ToString(CultureInfo.InvariantCulture));
                WriteSubscription(json, subscription);
                json.WriteString("changeType", ChangeTypeNames.Format(change.ChangeType));
                json.WriteString("resource", resource);
                json.WriteStartObject("resourceData");
                json.WriteString("@odata.type", $"#{IndustryDataEdm.Namespace}.{change.Type}");
                json.WriteString("@odata.id", resource);
                json.WriteString("@odata.etag", "W/\"" + change.Version.ToString(CultureInfo.InvariantCulture) + "\"");
                json.WriteString("id", change.RunId);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>A lifecycle notification: missed (resync with delta) or subscriptionRemoved.</summary>
    public static byte[] Lifecycle(SubscriptionRecord subscription, string lifecycleEvent)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, SubscriptionJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteStartArray("value");
            json.WriteStartObject();
            WriteSubscription(json, subscription);
            json.WriteString("lifecycleEvent", lifecycleEvent);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteSubscription(Utf8JsonWriter json, SubscriptionRecord subscription)
    {
        json.WriteString("subscriptionId", subscription.Id);
        json.WriteString("subscriptionExpirationDateTime", SubscriptionJson.Utc(subscription.ExpirationDateTime));
        if (subscription.ClientState is not null)
        {
            json.WriteString("clientState", subscription.ClientState);
        }
        else
        {
            json.WriteNull("clientState");
        }
    }
}
