using IndustryData.OData.Bench.Baseline;

// The benchmark baseline: what ASP.NET Core does for the runs scenarios with System.Text.Json and ADO.NET SQLite alone.
// Same configuration keys as the service (ConnectionStrings:Runs, --urls), so bench/run.sh starts both the same way.
var builder = WebApplication.CreateBuilder(args);
var connectionString = builder.Configuration.GetConnectionString("Runs") ?? "Data Source=baseline.db";
builder.Services.AddSingleton(_ => RunStore.Open(connectionString));
builder.Services.AddSingleton(_ => MetadataFile.Load(Path.Combine(AppContext.BaseDirectory, "industryData.csdl.xml")));

var app = builder.Build();
app.Services.GetRequiredService<RunStore>();

app.MapGet("/$metadata", (HttpContext context, MetadataFile metadata) => metadata.WriteAsync(context));
app.MapPost("/runs", (HttpContext context, RunStore store) => RunEndpoints.CreateAsync(context, store));
app.MapGet("/runs", (HttpContext context, RunStore store) => RunEndpoints.ListAsync(context, store));
app.MapGet("/runs({key})", (HttpContext context, string key, RunStore store) => RunEndpoints.GetAsync(context, key, store));

await app.RunAsync();
