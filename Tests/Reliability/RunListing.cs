using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Reliability;

/// <summary>Every run the service lists, following @odata.nextLink with the largest page it allows.</summary>
public static class RunListing
{
    public static async Task<List<JsonObject>> AllAsync(HttpClient client)
    {
        var runs = new List<JsonObject>();
        string? next = "runs";
        for (var page = 0; next is not null; page++)
        {
            Assert.That(page, Is.LessThan(10_000), "paging does not end");
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Add("Prefer", "odata.maxpagesize=1000");
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.That((int)response.StatusCode, Is.EqualTo(200), text);
            var json = JsonNode.Parse(text)!.AsObject();
            runs.AddRange(json["value"]!.AsArray().Select(run => run!.AsObject()));
            next = (string?)json["@odata.nextLink"];
        }

        return runs;
    }

    public static async Task<JsonObject?> OneAsync(HttpClient client, string id)
    {
        using var response = await client.GetAsync($"runs('{id}')");
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode == 404)
        {
            return null;
        }

        Assert.That((int)response.StatusCode, Is.EqualTo(200), text);
        return JsonNode.Parse(text)!.AsObject();
    }
}
