using System.Collections;
using IndustryData.OData.Service.Errors;

namespace IndustryData.OData.Service.Telemetry;

/// <summary>
/// Puts the response's request-id into the logging scope of the whole request, so every log line written while it
/// runs carries it next to the trace and span ids that ASP.NET Core's hosting scope adds (JSON console logs in
/// Production, OTLP logs). The value is read only when a line is written.
/// </summary>
public sealed class RequestLogScope(RequestDelegate next, ILogger<RequestLogScope> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        using (logger.BeginScope(new State(context)))
        {
            await next(context);
        }
    }

    private sealed class State(HttpContext context) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => 1;

        public KeyValuePair<string, object?> this[int index] => index == 0
            ? new KeyValuePair<string, object?>("request-id", RequestIds.RequestId(context))
            : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => "request-id:" + RequestIds.RequestId(context);
    }
}
