using System.Net;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Security;

public class ThrottlingTests : ApiFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Throttling:PermitsPerWindow"] = "3",
        ["Throttling:Window"] = "00:01:00",
    };

    [Test]
    public async Task Over_the_rate_a_caller_gets_429_with_retry_after_and_others_are_unaffected()
    {
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await Client.GetAsync("runs");
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var throttled = await Client.GetAsync("runs");
        using var other = Host.CreateAuthorizedClient(TestTokens.Write("another-caller"));
        using var otherResponse = await other.GetAsync("runs");

        await throttled.AssertGraphErrorAsync(HttpStatusCode.TooManyRequests, "throttled");
        Assert.Multiple(() =>
        {
            Assert.That(int.Parse(throttled.Header("Retry-After"), System.Globalization.CultureInfo.InvariantCulture), Is.InRange(1, 60));
            Assert.That(otherResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }
}
