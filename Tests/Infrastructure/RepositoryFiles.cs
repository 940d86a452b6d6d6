namespace IndustryData.OData.Tests.Infrastructure;

/// <summary>Files of the source tree the tests run from (found upwards from the test binaries).</summary>
public static class RepositoryFiles
{
    public static string PathOf(string relativePath)
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "IndustryData.OData.sln")))
            {
                return Path.Combine(directory.FullName, relativePath);
            }
        }

        throw new InvalidOperationException($"IndustryData.OData.sln not found above {TestContext.CurrentContext.TestDirectory}");
    }
}
