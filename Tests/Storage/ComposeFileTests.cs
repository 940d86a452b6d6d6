using IndustryData.OData.Tests.Infrastructure;

namespace IndustryData.OData.Tests.Storage;

/// <summary>Plain-text checks of docker-compose.yml (no YAML parser in the project; `docker compose config -q` validates it fully).</summary>
public class ComposeFileTests
{
    private static string Compose => File.ReadAllText(RepositoryFiles.PathOf("docker-compose.yml")).ReplaceLineEndings("\n");

    [Test]
    public void Compose_and_the_tests_run_the_same_SQL_Server_image() =>
        Assert.That(Compose, Does.Contain($"image: {SqlServerTestServer.Image}\n"));

    [Test]
    public void The_service_is_configured_for_SQL_Server_on_the_db_service() =>
        Assert.That(Compose, Does.Contain("Storage__Provider: SqlServer").And.Contain("ConnectionStrings__Runs: Server=db;"));
}
