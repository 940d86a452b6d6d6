using IndustryData.OData.Tests.Infrastructure;
using NUnit.Framework.Internal;

namespace IndustryData.OData.Tests.Reliability.Fuzz;

/// <summary>
/// What every answer to a hostile request must satisfy: no 5xx (501 only for query options or $filter/$orderby
/// constructs the service declares unsupported; HEAD answers as GET does, without a body), every error in the Graph shape with a message and nothing internal, and no write to a protected run
/// accepted. Returns the problems, empty when the answer is fine.
/// </summary>
public static class FuzzOracle
{
    private static readonly string[] UnsupportedOptions = ["search", "apply", "compute", "skiptoken", "deltatoken", "schemaversion", "index"];

    private static readonly string[] ExpressionOptions = ["filter", "orderby"];

    private static readonly string[] StackTraceMarkers = ["   at System.", "   at Microsoft.", "   at IndustryData.", "--- End of stack trace"];

    public static IEnumerable<string> Problems(HostileRequest request, FuzzResponse answer)
    {
        if (answer.Thrown is not null)
        {
            yield return "the server threw instead of answering: " + answer.Thrown;
            yield break;
        }

        var response = answer.Response!;
        var status = answer.Status;
        if (status >= 500 && !(status == 501 && DeclaredUnsupported(request, answer)))
        {
            yield return $"status {status}";
        }

        if (status >= 400 && request.Method is not ("HEAD" or "head") && ShapeProblem(response, answer.Text) is { } problem)
        {
            yield return $"status {status} without the Graph error shape: {problem}";
        }

        if (StackTraceMarkers.Any(marker => answer.Text.Contains(marker, StringComparison.Ordinal)))
        {
            yield return "a stack trace in the response body";
        }

        if (request.Target == FuzzTarget.Protected && request.Method is not ("GET" or "HEAD" or "get") && status is >= 200 and < 300)
        {
            yield return $"a write with a stale If-Match was accepted ({status})";
        }
    }

    /// <summary>
    /// A 501 must be for a query option the service declares unsupported, or for valid $filter/$orderby syntax it does
    /// not evaluate (docs/querying.md, "The query language"): the error says so, or, for HEAD (which has no body to say it in),
    /// the URL names such an option or has a $filter or $orderby.
    /// </summary>
    private static bool DeclaredUnsupported(HostileRequest request, FuzzResponse answer)
    {
        if (request.Method is not ("HEAD" or "head"))
        {
            return answer.Text.Contains("\"queryOptionNotSupported\"", StringComparison.Ordinal)
                || answer.Text.Contains("\"queryFeatureNotSupported\"", StringComparison.Ordinal);
        }

        var query = request.Url.Contains('?', StringComparison.Ordinal) ? request.Url[(request.Url.IndexOf('?', StringComparison.Ordinal) + 1)..] : string.Empty;
        return query.Split('&').Select(pair => Uri.UnescapeDataString(pair.Split('=')[0]).TrimStart('$'))
            .Any(name => UnsupportedOptions.Contains(name, StringComparer.OrdinalIgnoreCase) || ExpressionOptions.Contains(name, StringComparer.OrdinalIgnoreCase));
    }

    private static string? ShapeProblem(HttpResponseMessage response, string text)
    {
        using (new TestExecutionContext.IsolatedContext())
        {
            try
            {
                GraphErrorAssert.AssertShape(response, text);
                return null;
            }
            catch (Exception exception) when (exception is AssertionException or MultipleAssertException or System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
            {
                return exception.Message + " body: " + (text.Length > 500 ? text[..500] : text);
            }
        }
    }
}
