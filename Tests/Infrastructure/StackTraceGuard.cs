namespace IndustryData.OData.Tests.Infrastructure;

/// <summary>
/// Sits in every test client: fails the test if any response of the suite carries a stack trace or an exception type,
/// whatever the test itself asserts.
/// </summary>
public sealed class StackTraceGuard : DelegatingHandler
{
    private static readonly string[] Markers = ["   at ", "Exception:", "StackTrace", ".cs:line "];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var leak = Markers.FirstOrDefault(marker => body.Contains(marker, StringComparison.Ordinal));
        if (leak is not null)
        {
            Assert.Fail($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode} with what looks like a stack trace ('{leak}'): {body}");
        }

        return response;
    }
}
