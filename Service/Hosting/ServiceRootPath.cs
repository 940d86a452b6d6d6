namespace IndustryData.OData.Service.Hosting;

/// <summary>
/// Where the OData service root sits on this host: "/" by default, "/v1.0/" with ODataApi:RoutePrefix=v1.0. The
/// routes are built from it, and every error message that shows the caller a path names it, so a hint works as written.
/// </summary>
public sealed class ServiceRootPath
{
    public const string RoutePrefixKey = "ODataApi:RoutePrefix";

    public ServiceRootPath(string routePrefix)
    {
        Prefix = routePrefix.Trim('/');
        Path = Prefix.Length > 0 ? new PathString("/" + Prefix) : PathString.Empty;
    }

    /// <summary>The route prefix without slashes ("v1.0"), empty for the host's root.</summary>
    public string Prefix { get; }

    /// <summary>The root as a path base ("/v1.0"), empty for the host's root.</summary>
    public PathString Path { get; }

    public static ServiceRootPath From(IConfiguration configuration) => new(configuration[RoutePrefixKey] ?? string.Empty);

    public static ServiceRootPath Of(HttpContext context) => context.RequestServices.GetRequiredService<ServiceRootPath>();

    /// <summary>A path under the root, for messages: "runs" → "/v1.0/runs".</summary>
    public string Of(string relative) => Path + "/" + relative;

    /// <summary>The service document's path: "/" or "/v1.0/".</summary>
    public override string ToString() => Of(string.Empty);
}
