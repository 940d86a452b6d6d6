namespace IndustryData.OData.Service.Protocol;

/// <summary>
/// The OData version a response is in: 4.01 for a client whose OData-MaxVersion allows it, else 4.0 (see
/// <see cref="ODataVersionCheck"/>). Every writer sets OData-Version: 4.0; for a 4.01 client the header is raised to
/// 4.01 as the response starts, whichever writer (stock, hand-written, error, batch, metadata) produced it.
/// </summary>
public static class ResponseVersion
{
    public const string V40 = "4.0";
    public const string V401 = "4.01";

    private static readonly object Key = new();

    public static bool Is401(HttpContext context) => context.Items.ContainsKey(Key);

    public static string Of(HttpContext context) => Is401(context) ? V401 : V40;

    public static void Use401(HttpContext context)
    {
        context.Items[Key] = true;
        context.Response.OnStarting(static state =>
        {
            var response = ((HttpContext)state).Response;
            if (response.Headers.ContainsKey("OData-Version"))
            {
                response.Headers["OData-Version"] = V401;
            }

            return Task.CompletedTask;
        }, context);
    }
}
