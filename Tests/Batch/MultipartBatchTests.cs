using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace IndustryData.OData.Tests.Batch;

[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class MultipartBatchTests(TestProvider provider) : ApiFixture(provider)
{
    private const string Boundary = "batch_36522ad7";
    private const string ChangeSet = "changeset_77162fcd";

    private static string Part(string method, string url, string? body = null, string? contentId = null) =>
        "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n" + (contentId is null ? string.Empty : $"Content-ID: {contentId}\r\n") + "\r\n"
        + $"{method} {url} HTTP/1.1\r\n" + (body is null ? "\r\n" : $"Content-Type: application/json\r\n\r\n{body}") + "\r\n";

    private static string Batch(params string[] sections) =>
        string.Concat(sections.Select(section => $"--{Boundary}\r\n{section}")) + $"--{Boundary}--\r\n";

    private static string ChangeSetOf(params string[] parts) =>
        $"Content-Type: multipart/mixed; boundary={ChangeSet}\r\n\r\n" + string.Concat(parts.Select(part => $"--{ChangeSet}\r\n{part}")) + $"--{ChangeSet}--\r\n";

    private async Task<List<(int Status, string? ContentId, string Body)>> SendAsync(string body)
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "$batch", body, $"multipart/mixed; boundary={Boundary}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(response.Content.Headers.ContentType!.ToString()).Boundary).Value!;
        var results = new List<(int, string?, string)>();
        await ReadAsync(new MultipartReader(boundary, await response.Content.ReadAsStreamAsync()), results);
        return results;
    }

    private static async Task ReadAsync(MultipartReader reader, List<(int, string?, string)> results)
    {
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            if (section.ContentType!.StartsWith("multipart/mixed", StringComparison.Ordinal))
            {
                var inner = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(section.ContentType).Boundary).Value!;
                await ReadAsync(new MultipartReader(inner, section.Body), results);
                continue;
            }

            var text = await new StreamReader(section.Body, Encoding.UTF8).ReadToEndAsync();
            var status = int.Parse(text.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            var body = text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..].Trim();
            results.Add((status, section.Headers!.TryGetValue("Content-ID", out var id) ? id.ToString() : null, body));
        }
    }

    [Test]
    public async Task A_read_and_a_change_set_of_creates_answer_in_order_and_commit_together()
    {
        var results = await SendAsync(Batch(
            Part("GET", "runs/$count"),
            ChangeSetOf(
                Part("POST", "runs", RunBodies.Outgoing().ToJsonString(), "1"),
                Part("POST", "/runs/microsoft.graph.industryData.incomingFlowRun", RunBodies.Run(null).Without("@odata.type").ToJsonString(), "2"))));

        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.Status), Is.EqualTo(new[] { 200, 201, 201 }));
            Assert.That(results.Select(r => r.ContentId), Is.EqualTo(new[] { null, "1", "2" }));
            Assert.That(results[0].Body, Is.EqualTo("0"));
            Assert.That((string?)JsonNode.Parse(results[2].Body)!["@odata.type"], Is.EqualTo(RunBodies.IncomingType));
        });
        Assert.That(await Host.CountRunsAsync(), Is.EqualTo(2));
    }

    [Test]
    public async Task A_change_set_with_an_invalid_member_answers_one_error_and_stores_nothing()
    {
        var results = await SendAsync(Batch(
            ChangeSetOf(
                Part("POST", "runs", RunBodies.Outgoing().ToJsonString(), "1"),
                Part("POST", "runs", RunBodies.Outgoing().With("endDateTime", "2000-01-01T00:00:00Z").ToJsonString(), "2")),
            Part("GET", "runs/$count")));

        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.Status), Is.EqualTo(new[] { 400, 200 }));
            Assert.That((string?)JsonNode.Parse(results[0].Body)!["error"]!["innerError"]!["code"], Is.EqualTo("endBeforeStart"));
            Assert.That(results[1].Body, Is.EqualTo("0"));
        });
        Assert.That(await Host.CountRunsAsync(), Is.Zero);
    }

    [Test]
    public async Task A_content_id_reference_inside_a_change_set_targets_the_new_run()
    {
        var results = await SendAsync(Batch(
            ChangeSetOf(
                Part("POST", "runs", RunBodies.Outgoing().With("status", "running").ToJsonString(), "1"),
                Part("PATCH", "$1", """{"status":"failed"}""", "2"))));

        var runs = await Client.GetJsonAsync("runs?$select=status");
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.Status), Is.EqualTo(new[] { 201, 204 }));
            Assert.That(runs["value"]!.AsArray().Select(r => (string?)r!["status"]), Is.EqualTo(new[] { "failed" }));
        });
    }

    [TestCase("not a multipart body", TestName = "Rejects a body without boundaries")]
    [TestCase("--batch_36522ad7\r\nContent-Type: text/plain\r\n\r\nhello\r\n--batch_36522ad7--\r\n", TestName = "Rejects a part that is not application/http")]
    [TestCase("--batch_36522ad7\r\nContent-Type: application/http\r\n\r\nGARBAGE\r\n--batch_36522ad7--\r\n", TestName = "Rejects a part without a request line")]
    public async Task A_malformed_multipart_batch_is_a_400(string body)
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "$batch", body, $"multipart/mixed; boundary={Boundary}");

        await response.AssertGraphErrorAsync(HttpStatusCode.BadRequest, "invalidBatch");
        Assert.That(await Host.CountRunsAsync(), Is.Zero);
    }
}
