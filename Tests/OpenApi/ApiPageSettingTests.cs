using IndustryData.OData.Service.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace IndustryData.OData.Tests.OpenApi;

/// <summary>The API page is on by default in Development only; ApiPage:Enabled decides everywhere.</summary>
public class ApiPageSettingTests
{
    [TestCase("Development", null, true)]
    [TestCase("Production", null, false)]
    [TestCase("Staging", null, false)]
    [TestCase("Production", "true", true)]
    [TestCase("Development", "false", false)]
    public void Enabled_by_environment_unless_configured(string environment, string? setting, bool enabled)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ApiPage:Enabled"] = setting })
            .Build();

        Assert.That(ApiPage.IsEnabled(configuration, new Environment(environment)), Is.EqualTo(enabled));
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "IndustryData.OData.Service";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
