using System.Text.Json;
using IndustryData.OData.Model.Runs;

namespace IndustryData.OData.Tests.Model;

public sealed class RunStatisticsTests
{
    private const string Stored = """{"rowsRead":1.50,"nested":{"a":[1,"é"]},"big":12345678901234567890}""";

    [Test]
    public void A_stored_value_passes_its_json_on_untouched_until_its_members_are_asked_for()
    {
        var statistics = RunStatistics.FromStoredJson(Stored);
        Assert.That(statistics.UnchangedStoredJson, Is.EqualTo(Stored));

        var members = statistics.OpenMembers;
        Assert.Multiple(() =>
        {
            Assert.That(statistics.UnchangedStoredJson, Is.Null, "once the members are out, they may change: the stored text no longer speaks for them");
            Assert.That(members.Keys, Is.EqualTo(new[] { "rowsRead", "nested", "big" }));
            Assert.That(members["rowsRead"].GetRawText(), Is.EqualTo("1.50"));
            Assert.That(members["big"].GetRawText(), Is.EqualTo("12345678901234567890"));
            Assert.That(members["nested"].GetProperty("a")[1].GetString(), Is.EqualTo("é"));
        });

        members["added"] = JsonElement.Parse("true");
        Assert.That(statistics.OpenMembers, Contains.Key("added"));
    }

    [Test]
    public void A_new_value_has_no_stored_json_and_starts_empty()
    {
        var statistics = new RunStatistics();
        Assert.Multiple(() =>
        {
            Assert.That(statistics.UnchangedStoredJson, Is.Null);
            Assert.That(statistics.OpenMembers, Is.Empty);
        });
    }
}
