using IndustryData.OData.Tests.Infrastructure;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace IndustryData.OData.Tests.Storage;

/// <summary>
/// $search and contains on SQL Server, offline: the T-SQL each request sends parses (ScriptDom), reads the runs_search
/// function created by the Search migration with one parameter per word or phrase (a quoted CONTAINS phrase the user's
/// text cannot break out of), and joins the words with SQL's AND/OR/NOT; contains is the LIKE it always was. The
/// migration's full-text DDL is guarded by FULLTEXTSERVICEPROPERTY and runs outside a transaction, and both bodies of
/// runs_search (CONTAINSTABLE, LIKE fallback) are valid T-SQL.
/// </summary>
public class SqlServerSearchSqlTests
{
    private OfflineSqlServerHost host = null!;
    private HttpClient client = null!;

    [SetUp]
    public void Start()
    {
        host = new OfflineSqlServerHost();
        client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestTokens.Read());
    }

    [TearDown]
    public async Task StopAsync()
    {
        client.Dispose();
        await host.DisposeAsync();
    }

    [TestCase("roster", new[] { "\"roster\"" }, 0)]
    [TestCase("roster export", new[] { "\"roster\"", "\"export\"" }, 0)]
    [TestCase("roster OR export NOT payroll", new[] { "\"roster\"", "\"export\"", "\"payroll\"" }, 1)]
    [TestCase("NOT (roster OR export)", new[] { "\"roster\"", "\"export\"" }, 1)]
    [TestCase("rost*", new[] { "\"rost*\"" }, 0)]
    [TestCase("\"nightly \\\"roster\\\" export\"", new[] { "\"nightly  roster  export\"" }, 0)]
    [TestCase("'nightly ro'", new[] { "\"nightly ro*\"" }, 0)]
    [TestCase("NEAR OR FORMSOF(x)", new[] { "\"NEAR\"", "\"FORMSOF\"", "\"x\"" }, 0)]
    public async Task Each_word_or_phrase_is_one_parameterised_runs_search_call(string search, string[] conditions, int negations)
    {
        var script = await SqlOfAsync("runs?$search=" + Uri.EscapeDataString(search));

        var calls = script.All<SchemaObjectFunctionTableReference>();
        Assert.Multiple(() =>
        {
            Assert.That(calls.Select(call => call.SchemaObject.BaseIdentifier.Name()), Is.EqualTo(Enumerable.Repeat("runs_search", conditions.Length)));
            Assert.That(calls.SelectMany(call => call.Parameters), Has.All.InstanceOf<VariableReference>(), "parameters, never literals");
            Assert.That(script.All<InPredicate>().Count(@in => @in.Subquery is not null) + script.All<ExistsPredicate>().Count, Is.EqualTo(conditions.Length), "a membership test per word");
            Assert.That(script.All<InPredicate>().Count(@in => @in.NotDefined) + script.All<BooleanNotExpression>().Count,
                negations == 0 ? Is.EqualTo(0) : Is.GreaterThanOrEqualTo(negations), "NOT as SQL's NOT (EF writes NOT IN as NOT EXISTS)");
            Assert.That(host.Captured.Parameters.Single().Select(parameter => parameter.Value).OfType<string>(), Is.EquivalentTo(conditions));
        });
    }

    [TestCase("runs?$search=roster&$filter=status eq 'failed'&$orderby=startDateTime desc&$top=5")]
    [TestCase("runs?$search=roster&$filter=status eq 'failed'&$count=true")]
    [TestCase("runs/$count?$search=roster OR payroll")]
    [TestCase("runs/microsoft.graph.industryData.outgoingFlowRun?$search=roster")]
    public async Task A_search_with_other_options_is_valid_TSql(string url)
    {
        using var response = await client.GetAsync(url);

        Assert.That(host.Captured.Commands, Is.Not.Empty, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var sql = host.Captured.Commands[0];
        var script = TSql.ParseValid(sql);
        Assert.That(script.All<SchemaObjectFunctionTableReference>().Select(call => call.SchemaObject.BaseIdentifier.Name()), Has.Some.EqualTo("runs_search"), sql);
    }

    [Test]
    public async Task Contains_is_a_LIKE_without_the_SQLite_trigram_index()
    {
        var script = await SqlOfAsync("runs?$filter=" + Uri.EscapeDataString("contains(displayName,'roster')"));

        Assert.Multiple(() =>
        {
            Assert.That(script.All<LikePredicate>(), Has.Count.EqualTo(1));
            Assert.That(script.All<SchemaObjectFunctionTableReference>(), Is.Empty);
        });
    }

    [Test]
    public void The_migration_creates_the_full_text_index_only_where_installed_and_outside_a_transaction()
    {
        var text = File.ReadAllText(RepositoryFiles.PathOf(SqlServerScriptTests.ScriptPath));
        var batches = text.Split("\nGO", StringSplitOptions.RemoveEmptyEntries);
        var fullText = batches.Single(batch => batch.Contains("CREATE FULLTEXT INDEX", StringComparison.Ordinal));
        var script = TSql.ParseValid(fullText);

        Assert.Multiple(() =>
        {
            Assert.That(fullText, Does.Not.Contain("BEGIN TRANSACTION"));
            Assert.That(script.All<FunctionCall>().Select(call => call.FunctionName.Name()), Does.Contain("FULLTEXTSERVICEPROPERTY"));
            foreach (var ddl in ExecutedStrings(script))
            {
                TSql.ParseValid(ddl);
            }
        });
    }

    [Test]
    public void Both_bodies_of_runs_search_are_valid_TSql_over_the_runs_table()
    {
        var text = File.ReadAllText(RepositoryFiles.PathOf(SqlServerScriptTests.ScriptPath));
        var batch = text.Split("\nGO", StringSplitOptions.RemoveEmptyEntries).Single(batch => batch.Contains("CREATE FUNCTION [dbo].[runs_search]", StringComparison.Ordinal));
        var bodies = ExecutedStrings(TSql.ParseValid(batch)).ToList();

        Assert.That(bodies, Has.Count.EqualTo(2));
        var withIndex = TSql.ParseValid(bodies[0]);
        var fallback = TSql.ParseValid(bodies[1]);
        Assert.Multiple(() =>
        {
            Assert.That(withIndex.All<FullTextTableReference>(), Has.Count.EqualTo(1));
            Assert.That(fallback.All<LikePredicate>(), Has.Count.EqualTo(3));
            Assert.That(fallback.All<LikePredicate>().Select(like => like.SecondExpression), Has.All.InstanceOf<ColumnReferenceExpression>(), "the pattern is built in SQL from the parameter");
            Assert.That(withIndex.All<CreateFunctionStatement>().Single().Name.BaseIdentifier.Name(), Is.EqualTo("runs_search"));
            Assert.That(fallback.All<CreateFunctionStatement>().Single().Name.BaseIdentifier.Name(), Is.EqualTo("runs_search"));
        });
    }

    private static IEnumerable<string> ExecutedStrings(TSqlFragment script) =>
        script.All<ExecuteStatement>().SelectMany(exec => exec.ExecuteSpecification.ExecutableEntity is ExecutableStringList list
            ? list.Strings.OfType<StringLiteral>().Select(literal => literal.Value)
            : []);

    private async Task<TSqlFragment> SqlOfAsync(string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        var sql = host.Captured.Commands;
        Assert.That(sql, Has.Count.EqualTo(1), $"{url} sent no single query; it answered {(int)response.StatusCode}: {body}");
        TestContext.Out.WriteLine(sql[0]);
        return TSql.ParseValid(sql[0]);
    }
}
