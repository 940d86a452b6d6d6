using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Protocol;

public sealed class RequestIdTests : ApiFixture
{
    [Test]
    public async Task Every_response_carries_its_own_version_4_guid_as_request_id()
    {
        var ids = new HashSet<string>();
        foreach (var url in Enumerable.Repeat("runs?$top=1", 20).Append("runs('missing')").Append("$metadata"))
        {
            using var response = await Client.GetAsync(url);
            var id = response.Header("request-id");
            Assert.Multiple(() =>
            {
                Assert.That(Guid.TryParseExact(id, "D", out var guid), Is.True, id);
                Assert.That(guid.Version, Is.EqualTo(4), id);
                Assert.That(guid.Variant, Is.InRange(8, 11), id);
                Assert.That(ids.Add(id), Is.True, "request ids repeat");
            });
        }
    }
}
