using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;

namespace IndustryData.OData.Service.Querying;

/// <summary>Adds a provider's <see cref="ODataFunctionTranslatorPlugin"/> (and <see cref="JsonMembersNotEvaluated"/>) to EF Core's query pipeline.</summary>
public sealed class ODataFunctionsOptionsExtension<TTranslator> : IDbContextOptionsExtension
    where TTranslator : ODataFunctionTranslatorPlugin
{
    public DbContextOptionsExtensionInfo Info => new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
        services.AddScoped<IMethodCallTranslatorPlugin, TTranslator>();
        services.AddSingleton<IEvaluatableExpressionFilterPlugin, JsonMembersNotEvaluated>();
    }

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "using OData canonical functions ";

        public override int GetServiceProviderHashCode() => typeof(TTranslator).GetHashCode();

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) => debugInfo["OData:Functions"] = typeof(TTranslator).Name;
    }
}

public static class ODataFunctionsDbContextOptions
{
    /// <summary>Translates <see cref="ODataFunctions"/> with <typeparamref name="TTranslator"/>.</summary>
    public static DbContextOptionsBuilder UseODataFunctions<TTranslator>(this DbContextOptionsBuilder builder)
        where TTranslator : ODataFunctionTranslatorPlugin
    {
        ArgumentNullException.ThrowIfNull(builder);
        ((IDbContextOptionsBuilderInfrastructure)builder).AddOrUpdateExtension(new ODataFunctionsOptionsExtension<TTranslator>());
        return builder;
    }
}
