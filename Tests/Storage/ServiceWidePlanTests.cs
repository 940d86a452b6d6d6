using IndustryData.OData.Service.ResourcePaths;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Storage;

/// <summary>
/// $all and $crossjoin(runs,subscriptions) on SQLite: each slice after a cursor seeks the key (runs' primary key, the
/// subscriptions' (owner, id) index) and reads in its order, with no scan of the table and no sort, whatever its size.
/// </summary>
public sealed class ServiceWidePlanTests : ApiFixture
{
    [Test]
    public async Task Runs_after_a_cursor_seek_the_primary_key()
    {
        var plan = await SqlitePlan.OfAsync(Host.Database.ConnectionString,
            db => new ServiceWideSets(db, "owner").RunIdsAsync("run-after", inclusive: true, skip: 0, take: 11, CancellationToken.None));

        Assert.That(plan, Has.Some.Match(@"^SEARCH \w+ USING (COVERING )?INDEX \w+ \(id>\?\)$").And.None.Match("^SCAN").And.None.Contains("TEMP B-TREE"), string.Join("\n", plan));
    }

    [Test]
    public async Task The_callers_subscriptions_after_a_cursor_seek_the_owner_index()
    {
        var plan = await SqlitePlan.OfAsync(Host.Database.ConnectionString,
            db => new ServiceWideSets(db, "owner").SubscriptionsAsync("subscription-after", skip: 0, take: 11, CancellationToken.None));

        Assert.That(plan, Has.Some.Match(@"^SEARCH \w+ USING (COVERING )?INDEX IX_subscriptions_owner_id \(owner=\? AND id>\?\)$").And.None.Contains("TEMP B-TREE"), string.Join("\n", plan));
    }
}
