using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IndustryData.OData.Tests.Infrastructure;

public static class HttpExtensions
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, JsonNode body) =>
        client.SendJsonAsync(HttpMethod.Post, url, body.ToJsonString());

    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string url, string body,
        string contentType = "application/json", IDictionary<string, string>? headers = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return client.SendAsync(request);
    }

    /// <summary>Creates a run and returns the body of the 201 response.</summary>
    public static async Task<JsonObject> CreateRunAsync(this HttpClient client, JsonObject body, string url = "runs")
    {
        using var response = await client.PostJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(201), text);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>GET with this Accept header in place of the client's default (e.g. text/plain for /$value and /$count).</summary>
    public static Task<HttpResponseMessage> GetAsync(this HttpClient client, string url, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Clear();
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return client.SendAsync(request);
    }

    /// <summary>GET accepting what OData answers at the URL: text/plain for raw values (/$value, /$count), else JSON.</summary>
    public static Task<HttpResponseMessage> GetODataAsync(this HttpClient client, string url) =>
        client.GetAsync(url, url.Split('?')[0].EndsWith("/$value", StringComparison.Ordinal) || url.Split('?')[0].EndsWith("/$count", StringComparison.Ordinal)
            ? "text/plain"
            : "application/json");

    public static async Task<JsonObject> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static async Task<JsonObject> GetJsonAsync(this HttpClient client, string url, int expectedStatus = 200)
    {
        using var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(expectedStatus), text);
        return JsonNode.Parse(text)!.AsObject();
    }

    public static string Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(",", contentValues)
        : string.Empty;

    public static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web);
}
