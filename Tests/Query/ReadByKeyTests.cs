using System.Net;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Tests.Query;

[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.SqlServer)]
public class ReadByKeyTests(TestProvider provider) : ApiFixture(provider)
{
    [Test]
    public async Task A_damaged_statistics_column_fails_the_read_in_the_error_shape_instead_of_sending_malformed_json()
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Outgoing()))["id"]!;
        const string damaged = "{\"rowsRead\":";
        await Host.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE runs SET statistics = {damaged} WHERE id = {id}"));

        foreach (var url in new[] { $"runs('{id}')", "runs" })
        {
            using var response = await Client.GetAsync(url);
            await response.AssertGraphErrorAsync(HttpStatusCode.InternalServerError, "unexpectedError");
        }
    }

    [Test]
    public async Task Both_key_forms_and_the_matching_cast_return_the_run_with_an_etag()
    {
        var created = await Client.CreateRunAsync(RunBodies.Outgoing());
        var id = (string)created["id"]!;

        foreach (var url in new[] { $"runs('{id}')", $"runs/{id}", $"runs('{id}')/microsoft.graph.industryData.outgoingFlowRun", $"runs/{id}/microsoft.graph.industryData.outgoingFlowRun" })
        {
            using var response = await Client.GetAsync(url);
            var body = await response.ReadJsonAsync();
            Assert.Multiple(() =>
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
                Assert.That((string?)body["id"], Is.EqualTo(id), url);
                Assert.That((string?)body["@odata.type"], Is.EqualTo(RunBodies.OutgoingType), url);
                Assert.That(response.Headers.ETag?.ToString(), Is.EqualTo((string?)body["@odata.etag"]), url);
            });
        }
    }

    [Test]
    public async Task A_cast_to_the_other_type_is_a_404()
    {
        var id = (string)(await Client.CreateRunAsync(RunBodies.Incoming()))["id"]!;

        using var response = await Client.GetAsync($"runs('{id}')/microsoft.graph.industryData.outgoingFlowRun");

        var error = await response.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
        Assert.That((string?)error["message"], Does.Contain("outgoingFlowRun").And.Contain(id));
    }

    [TestCase("runs('00000000-0000-0000-0000-000000000000')")]
    [TestCase("runs/00000000-0000-0000-0000-000000000000")]
    [TestCase("runs/microsoft.graph.industryData.sidewaysRun")]
    public async Task An_unknown_id_is_a_404_with_the_error_shape(string url)
    {
        using var response = await Client.GetAsync(url);

        await response.AssertGraphErrorAsync(HttpStatusCode.NotFound, "resourceNotFound");
    }

    [Test]
    public async Task If_none_match_with_the_current_etag_is_a_304_and_with_an_old_one_a_200()
    {
        var created = await Client.CreateRunAsync(RunBodies.Outgoing());
        var url = $"runs('{created["id"]}')";

        using var current = new HttpRequestMessage(HttpMethod.Get, url);
        current.Headers.TryAddWithoutValidation("If-None-Match", (string)created["@odata.etag"]!);
        using var notModified = await Client.SendAsync(current);
        using var stale = new HttpRequestMessage(HttpMethod.Get, url);
        stale.Headers.TryAddWithoutValidation("If-None-Match", "W/\"999\"");
        using var modified = await Client.SendAsync(stale);

        Assert.Multiple(() =>
        {
            Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(notModified.Headers.ETag?.ToString(), Is.EqualTo((string)created["@odata.etag"]!));
            Assert.That(modified.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }
}
