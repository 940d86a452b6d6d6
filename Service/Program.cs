using IndustryData.OData.Service.Async;
using IndustryData.OData.Service.Hosting;
using IndustryData.OData.Service.Idempotency;
using IndustryData.OData.Service.Protocol;
using IndustryData.OData.Service.Security;
using IndustryData.OData.Service.Storage;
using IndustryData.OData.Service.Subscriptions;
using IndustryData.OData.Service.Telemetry;

var builder = WebApplication.CreateBuilder(args);
builder.ConfigureKestrelLimits();
builder.AddServiceTelemetry();
builder.AddRunStorage();
builder.AddIdempotencyKeys();
builder.AddGraphAuthorization();
builder.AddCallerRateLimiting();
builder.AddODataApi();
builder.AddChangeNotifications();
builder.AddAsyncRequests();
builder.AddBrowserAccess();

var app = builder.Build();
app.UseServiceTelemetry();
app.UseODataApi();
await app.InitializeRunStorageAsync();
await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
