using System.Net;
using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Query;

/// <summary>
/// Every canonical function on every property and literal it accepts, nested in every other: the answer is a 200, a
/// 400 or a 501 in the Graph error shape — never a 500 (which is what unbindable or untranslatable expressions became).
/// </summary>
public class QueryLanguageCombinationTests : ApiFixture
{
    private static readonly string[] Texts = ["displayName", "id", "'Ab c'", "null", "tolower(displayName)", "substring(displayName,-3)", "concat(displayName,id)", "trim(null)"];

    private static readonly string[] DateTimes = ["startDateTime", "endDateTime", "2026-01-02T03:04:05.5Z", "now()", "mindatetime()", "startDateTime add duration'PT1H'", "null"];

    private static readonly string[] TextFunctions = ["length({0}) eq 3", "indexof({0},'b') ge 0", "startswith({0},'A')", "endswith({0},'c')", "contains({0},'b')",
        "substring({0},1) eq 'b c'", "substring({0},-1,1) eq 'c'", "toupper({0}) eq 'AB C'", "trim({0}) ne {0}", "matchesPattern({0},'^A')", "cast({0},Edm.Int32) eq 1", "{0} in ('Ab c','x')"];

    private static readonly string[] DateFunctions = ["year({0}) eq 2026", "month({0}) ne 1", "day({0}) gt 1", "hour({0}) lt 3", "minute({0}) le 4", "second({0}) ge 5",
        "fractionalseconds({0}) lt 0.5", "date({0}) eq 2026-01-02", "time({0}) gt 03:00:00", "totaloffsetminutes({0}) eq 0", "{0} sub startDateTime gt duration'PT1M'",
        "totalseconds({0} sub startDateTime) gt 60", "{0} add P1D lt maxdatetime()", "date({0}) in (2026-01-02)", "year({0}) eq 2026 and month({0}) eq 1", "{0} ge 2026-01-02"];

    public static IEnumerable<TestCaseData> Expressions() =>
        Texts.SelectMany(text => TextFunctions.Select(function => string.Format(System.Globalization.CultureInfo.InvariantCulture, function, text)))
            .Concat(DateTimes.SelectMany(time => DateFunctions.Select(function => string.Format(System.Globalization.CultureInfo.InvariantCulture, function, time))))
            .Select(expression => new TestCaseData(expression).SetArgDisplayNames(expression));

    [Test]
    public async Task No_function_combination_is_a_500()
    {
        await Client.CreateRunAsync(RunBodies.Outgoing().With("displayName", "Ab c").With("endDateTime", null));
        await Client.CreateRunAsync(RunBodies.Incoming());
        var failures = new List<string>();

        foreach (var expression in Expressions().Select(data => (string)data.Arguments[0]!))
        {
            using var response = await Client.GetAsync("runs?$filter=" + Uri.EscapeDataString(expression));
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.NotImplemented))
            {
                failures.Add($"{expression} → {(int)response.StatusCode} {text}");
            }
            else if (response.StatusCode != HttpStatusCode.OK)
            {
                GraphErrorAssert.AssertShape(response, text);
            }
        }

        Assert.That(failures, Is.Empty);
    }
}
