using System.Net;
using System.Text.Json.Nodes;

namespace IndustryData.OData.Tests.Infrastructure;

/// <summary>Asserts the one error shape of contract §6, and returns the error for further checks.</summary>
public static class GraphErrorAssert
{
    private static readonly string[] LeakMarkers = ["   at ", "Exception:", "System.", "Microsoft.EntityFrameworkCore", "StackTrace"];

    public static async Task<JsonObject> AssertGraphErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string innerCode, string? target = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        var error = AssertShape(response, text);
        Assert.Multiple(() =>
        {
            Assert.That((string?)error["innerError"]!["code"], Is.EqualTo(innerCode), text);
            Assert.That((string?)error["details"]![0]!["code"], Is.EqualTo(innerCode), text);
            if (target is not null)
            {
                Assert.That((string?)error["target"], Is.EqualTo(target), text);
            }
        });
        return error;
    }

    /// <summary>Shape only: any 4xx/5xx error body from this service must pass this.</summary>
    public static JsonObject AssertShape(HttpResponseMessage response, string text)
    {
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), text);
        var error = JsonNode.Parse(text)!["error"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That((string?)error["code"], Is.EqualTo(CamelStatus(response.StatusCode)), text);
            Assert.That((string?)error["message"], Is.Not.Null.And.Not.Empty, text);
            Assert.That(error["details"], Is.InstanceOf<JsonArray>(), text);
            Assert.That((string?)error["innerError"]!["request-id"], Is.EqualTo(response.Header("request-id")), text);
            Assert.That(DateTimeOffset.TryParse((string?)error["innerError"]!["date"], out _), Is.True, text);
            foreach (var marker in LeakMarkers)
            {
                Assert.That(text, Does.Not.Contain(marker), "error bodies must not leak internals");
            }
        });
        return error;
    }

    public static string CamelStatus(HttpStatusCode status)
    {
        var name = status switch
        {
            HttpStatusCode.RequestEntityTooLarge => "PayloadTooLarge",
            HttpStatusCode.RequestUriTooLong => "UriTooLong",
            HttpStatusCode.InternalServerError => "InternalServerError",
            _ => status.ToString(),
        };
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
