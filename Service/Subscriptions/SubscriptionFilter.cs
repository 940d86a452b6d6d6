using IndustryData.OData.Model.Edm;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Hosting;
using IndustryData.OData.Service.Querying;
using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Subscriptions;

/// <summary>
/// A subscription's $filter, read by exactly the code that reads a list's $filter (<see cref="RunQueryOptions"/>,
/// <see cref="RunQuery.ApplyFilter"/>), so a subscription accepts and means what GET runs?$filter=… does. The
/// dispatcher has no request of its own, so one is made up for the resource's URL.
/// </summary>
public sealed class SubscriptionFilter(IServiceProvider services, ServiceRootPath root)
{
    /// <summary>400 naming resource when the filter is one a list would refuse.</summary>
    public void Check(SubscriptionResource resource)
    {
        try
        {
            Apply(Enumerable.Empty<Run>().AsQueryable(), resource);
        }
        catch (ApiException problem) when (problem.Status == StatusCodes.Status400BadRequest)
        {
            throw ApiException.BadRequest("invalidResource", $"resource has a $filter that a list of runs would refuse: {problem.Message}", "resource");
        }
    }

    /// <summary>The runs of <paramref name="source"/> that the resource's type cast and $filter select.</summary>
    public IQueryable<Run> Apply(IQueryable<Run> source, SubscriptionResource resource)
    {
        if (resource.Filter is null)
        {
            return source;
        }

        var context = new DefaultHttpContext { RequestServices = services };
        var request = context.Request;
        request.Method = HttpMethods.Get;
        request.Scheme = "http";
        request.Host = new HostString("localhost");
        var relative = resource.Discriminator is null ? IndustryDataEdm.RunsEntitySetName : $"{IndustryDataEdm.RunsEntitySetName}/{IndustryDataEdm.Namespace}.{resource.Discriminator}";
        request.Path = root.Path.Add("/" + relative);
        request.QueryString = QueryString.Create("$filter", resource.Filter);
        var feature = context.ODataFeature();
        feature.RoutePrefix = root.Prefix;
        feature.Model = IndustryDataEdm.Model;
        feature.Path = new ODataUriParser(IndustryDataEdm.Model, new Uri(relative, UriKind.Relative)).ParsePath();
        try
        {
            return resource.RunType == typeof(Run)
                ? RunQuery.ApplyFilter(source, RunQueryOptions.Parse(request, typeof(Run)))
                : Typed(source, request, resource.RunType);
        }
        finally
        {
            feature.RequestScope?.Dispose();
        }
    }

    private static IQueryable<Run> Typed(IQueryable<Run> source, HttpRequest request, Type runType) => runType == typeof(OutgoingFlowRun)
        ? RunQuery.ApplyFilter(source.OfType<OutgoingFlowRun>(), RunQueryOptions.Parse(request, runType))
        : RunQuery.ApplyFilter(source.OfType<IncomingFlowRun>(), RunQueryOptions.Parse(request, runType));
}
