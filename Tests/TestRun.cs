using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests;

/// <summary>Once per test run, around every fixture: releases what fixtures share (the SQL Server container, if any was started).</summary>
[SetUpFixture]
public sealed class TestRun
{
    [OneTimeTearDown]
    public Task StopSharedServersAsync() => SqlServerTestServer.StopSharedAsync();
}
