using IndustryData.OData.Model.Edm;
using IndustryData.OData.Service.Async;
using IndustryData.OData.Service.Batch;
using IndustryData.OData.Service.Changes;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Metadata;
using IndustryData.OData.Service.Protocol;
using IndustryData.OData.Service.Querying;
using IndustryData.OData.Service.ResourcePaths;
using IndustryData.OData.Service.Runs;
using IndustryData.OData.Service.Serialization;
using IndustryData.OData.Service.Storage;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OData;
using Microsoft.AspNetCore.OData.Formatter.Serialization;
using Microsoft.AspNetCore.OData.Query.Expressions;

namespace IndustryData.OData.Service.Hosting;

public static class ODataApiExtensions
{
    /// <summary>The OData route (service root configurable as ODataApi:RoutePrefix, default "/") and its services.</summary>
    public static IHostApplicationBuilder AddODataApi(this IHostApplicationBuilder builder)
    {
        var serviceRoot = ServiceRootPath.From(builder.Configuration);
        builder.Services.AddSingleton(serviceRoot);
        builder.Services.AddScoped<RunQuery>();
        builder.Services.AddSingleton<StatementBudgets>();
        builder.Services.AddScoped<ApplyQuery>();
        builder.Services.Configure<QueryingOptions>(builder.Configuration.GetSection(QueryingOptions.SectionName));
        builder.Services.AddSingleton<LongStatementSlots>();
        builder.Services.AddChangeTracking(builder.Configuration);
        builder.Services.AddSingleton(new RunOutput(builder.Configuration.GetValue("ODataApi:RunJsonWriter", defaultValue: true)));
        builder.Services.AddSingleton(new MetadataDocument(IndustryDataEdm.Model));
        builder.Services.AddSingleton(new OpenApiDocument());
        builder.Services.AddSingleton<SubRequestPipeline>();
        builder.Services.AddSingleton<BatchExecutor>();
        builder.Services.AddSingleton<IApplicationModelProvider, HeadWhereGetWorks>();
        builder.Services
            .AddControllers(mvc =>
            {
                // Bodies are read as JSON by RunPayloadReader, never bound from forms; MVC's form value providers
                // would otherwise parse any form-encoded body and throw (a 500) on keys such as 'a[' before 415.
                mvc.ValueProviderFactories.RemoveType<FormValueProviderFactory>();
                mvc.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
                mvc.ValueProviderFactories.RemoveType<FormFileValueProviderFactory>();
            })
            .AddOData(options =>
            {
                options.TimeZone = TimeZoneInfo.Utc;
                options.Select().Filter().OrderBy().Count().SetMaxTop(RunQueryOptions.MaxTop);
                options.RouteOptions.EnableControllerNameCaseInsensitive = true;
                options.RouteOptions.EnableKeyAsSegment = true;
                options.RouteOptions.EnableKeyInParenthesis = true;
                options.RouteOptions.EnableQualifiedOperationCall = true;
                options.RouteOptions.EnableUnqualifiedOperationCall = true;
                options.Conventions.Add(new RunRoutingConvention());
                options.AddRouteComponents(serviceRoot.Prefix, IndustryDataEdm.Model, services => services
                    .AddSingleton<ODataResourceSerializer, RunResourceSerializer>()
                    .AddSingleton<IFilterBinder, RunFilterBinder>());
            });
        return builder;
    }

    /// <summary>The request pipeline, in order: HEAD bodies dropped, errors, limits, protocol checks, identity, throttling, format negotiation, then the endpoints.</summary>
    public static WebApplication UseODataApi(this WebApplication app)
    {
        var subRequests = app.Services.GetRequiredService<SubRequestPipeline>();
        app.Use(next => subRequests.Entry = next);
        app.UseMiddleware<HeadResponses>();
        app.UseMiddleware<GraphErrorMiddleware>();
        app.UseCors(); // preflights end here (see BrowserAccess)
        app.UseMiddleware<RequestLimits>();
        app.UseMiddleware<ODataVersionCheck>();
        app.UseMiddleware<PreferenceCheck>();
        var serviceRoot = app.Services.GetRequiredService<ServiceRootPath>().Path;

        // $metadata, $openapi and the API page are anonymous, precomputed bytes: served before identity and throttling, which cost it half its speed.
        app.UseMiddleware<MetadataMiddleware>(serviceRoot.Add("/$metadata").Value!);
        app.UseMiddleware<OpenApiMiddleware>(serviceRoot);
        app.UseApiPage(serviceRoot);
        app.UseAuthentication();
        app.UseRateLimiter();
        if (app.Services.GetService<SqliteRunReads>() is not null && app.Configuration.GetValue(DirectRunReads.Setting, defaultValue: true))
        {
            app.UseMiddleware<DirectRunReads>(serviceRoot);
        }

        app.UseMiddleware<AsyncRequests>(serviceRoot);
        app.UseMiddleware<BatchMiddleware>(serviceRoot);
        app.UseMiddleware<ResourcePathRewrite>(serviceRoot);
        app.UseRouting();
        app.UseAuthorization();
        app.UseMiddleware<FormatNegotiation>();
        app.MapControllers();
        app.MapServiceWideCollections(serviceRoot);
        app.MapHealthChecks("/health", HealthResponse.Options).AllowAnonymous().WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));
        return app;
    }
}
