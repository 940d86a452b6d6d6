namespace IndustryData.OData.Tests.Infrastructure;

/// <summary>The database a provider-parameterised fixture runs against.</summary>
public enum TestProvider
{
    Sqlite,
    SqlServer,
}
