using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace IndustryData.OData.Tests.Telemetry;

/// <summary>Every log line at every level, with its scopes written out, as a log sink would receive it.</summary>
public sealed class AllLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<(string Category, string Line)> lines = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<(string Category, string Line)> Lines => [.. lines];

    /// <summary>Captures everything, whatever the configuration's log levels say for other providers.</summary>
    public void AddTo(ILoggingBuilder logging)
    {
        logging.AddProvider(this);
        logging.AddFilter<AllLogs>(category: null, level: LogLevel.Trace);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(string category, AllLogs sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => sink.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    line.Append($" | {key}={value}");
                }
            }

            sink.scopes.ForEachScope(static (scope, text) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var (key, value) in pairs)
                    {
                        text.Append($" | {key}={value}");
                    }
                }
                else
                {
                    text.Append($" | {scope}");
                }
            }, line);
            if (exception is not null)
            {
                line.Append('\n').Append(exception);
            }

            sink.lines.Enqueue((category, line.ToString()));
        }
    }
}
