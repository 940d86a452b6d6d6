using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace IndustryData.OData.Tests.Storage;

/// <summary>The text of every command EF Core executes (its Database.Command log at Information).</summary>
public sealed class SqlCommandLog : ILoggerProvider
{
    public const string Category = "Microsoft.EntityFrameworkCore.Database.Command";
    private readonly ConcurrentQueue<string> commands = new();

    public static void AddTo(ILoggingBuilder logging, SqlCommandLog log)
    {
        logging.AddProvider(log);
        logging.AddFilter<SqlCommandLog>(Category, LogLevel.Information);
    }

    public List<string> Drain()
    {
        var drained = new List<string>();
        while (commands.TryDequeue(out var command))
        {
            drained.Add(command);
        }

        return drained;
    }

    public ILogger CreateLogger(string categoryName) => categoryName == Category ? new Logger(commands) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> commands) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values
                && values.FirstOrDefault(value => value.Key == "commandText").Value is string text)
            {
                commands.Enqueue(text);
            }
        }
    }
}
