using Swashbuckle.AspNetCore.SwaggerUI;

namespace IndustryData.OData.Service.Hosting;

/// <summary>
/// The API page at {service root}/docs: Swagger UI, served from the assets embedded in its package (no CDN, no outside
/// request), over {service root}/$openapi. On by default in Development; elsewhere only with ApiPage:Enabled=true.
/// </summary>
public static class ApiPage
{
    public static bool IsEnabled(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue("ApiPage:Enabled", defaultValue: environment.IsDevelopment());

    /// <summary>Anonymous like $metadata: served before identity and throttling.</summary>
    public static WebApplication UseApiPage(this WebApplication app, PathString serviceRoot)
    {
        if (!IsEnabled(app.Configuration, app.Environment))
        {
            return app;
        }

        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = serviceRoot.Add("/docs").Value!.Trim('/');
            options.DocumentTitle = "IndustryData runs — API";

            // Relative to {service root}/docs/index.html, so it follows the route prefix and any PathBase.
            options.SwaggerEndpoint("../$openapi", "IndustryData runs");
            options.ConfigObject.TryItOutEnabled = true;
            options.ConfigObject.DisplayRequestDuration = true;
            options.ConfigObject.DocExpansion = DocExpansion.List;
            options.ConfigObject.ValidatorUrl = null; // never send the document to an online validator
        });
        return app;
    }
}
