using System.Collections.Concurrent;
using IndustryData.OData.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace IndustryData.OData.Tests.Query;

/// <summary>Proves filtering, ordering and paging run in the database by reading the SQL EF Core sends.</summary>
public class SqlTranslationTests : ApiFixture
{
    private static readonly ConcurrentQueue<string> Commands = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information",
    };

    protected override void ConfigureLogging(ILoggingBuilder logging) => logging.AddProvider(new CommandCapture());

    [Test]
    public async Task A_filtered_ordered_paged_query_is_translated_to_one_sql_statement()
    {
        await SeededRuns.CreateAsync(Client);
        Commands.Clear();

        var page = await Client.GetJsonAsync("runs?$filter=status%20eq%20%27completed%27%20and%20contains(displayName,%27export%27)&$orderby=startDateTime%20desc&$top=5&$skip=0&$count=true");

        var select = Commands.Single(sql => sql.Contains("SELECT \"r\".\"id\"", StringComparison.Ordinal));
        var count = Commands.Single(sql => sql.Contains("COUNT(*)", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(page["value"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(select, Does.Contain("WHERE \"r\".\"status\" = ").And.Contain("instr(\"r\".\"displayName\""));
            Assert.That(select, Does.Contain("ORDER BY \"r\".\"startDateTime\" DESC, \"r\".\"id\""));
            Assert.That(select, Does.Contain("LIMIT @"));
            Assert.That(count, Does.Contain("WHERE \"r\".\"status\" = "));
            Assert.That(Commands.Count(sql => sql.Contains("FROM \"runs\"", StringComparison.Ordinal)), Is.EqualTo(2), "one count, one page");
        });
    }

    [Test]
    public async Task A_type_cast_becomes_a_discriminator_condition()
    {
        await SeededRuns.CreateAsync(Client);
        Commands.Clear();

        await Client.GetJsonAsync("runs/microsoft.graph.industryData.incomingFlowRun?$filter=isof(%27microsoft.graph.industryData.incomingFlowRun%27)");

        Assert.That(Commands.Single(sql => sql.Contains("FROM \"runs\"", StringComparison.Ordinal)), Does.Contain("\"r\".\"type\" = 'incomingFlowRun'"));
    }

    private sealed class CommandCapture : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CommandLogger(categoryName);

        public void Dispose()
        {
        }

        private sealed class CommandLogger(string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => category == "Microsoft.EntityFrameworkCore.Database.Command";

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel) && eventId.Name == "Microsoft.EntityFrameworkCore.Database.Command.CommandExecuted")
                {
                    Commands.Enqueue(formatter(state, exception));
                }
            }
        }
    }
}
