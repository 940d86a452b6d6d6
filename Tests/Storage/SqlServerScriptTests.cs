using IndustryData.OData.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace IndustryData.OData.Tests.Storage;

/// <summary>
/// The SQL Server schema, checked without a server: the idempotent migration script is generated from the EF model,
/// must equal the committed Service/Storage/Migrations/SqlServer/migrations.sql (what a DBA would run), and must be
/// valid T-SQL that builds the table of contract §8.
/// </summary>
public class SqlServerScriptTests
{
    public const string ScriptPath = "Service/Storage/Migrations/SqlServer/migrations.sql";
    public const string WriteVariable = "SQLSERVER_SCRIPT_WRITE";

    private static readonly string[] JsonColumns = ["statistics", "blockingError"];

    [Test]
    public void Committed_script_equals_a_fresh_generation()
    {
        var generated = Normalized(IdempotentScript());
        var path = RepositoryFiles.PathOf(ScriptPath);
        if (Environment.GetEnvironmentVariable(WriteVariable) == "1")
        {
            File.WriteAllText(path, generated);
        }

        var committed = File.Exists(path) ? Normalized(File.ReadAllText(path)) : "(missing)";

        Assert.That(committed, Is.EqualTo(generated),
            $"{ScriptPath} is out of date with the EF model or migrations. Regenerate it with: {WriteVariable}=1 dotnet test --filter FullyQualifiedName~SqlServerScript");
    }

    [Test]
    public void Idempotent_script_is_valid_T_SQL_in_batches()
    {
        var script = (TSqlScript)TSql.ParseValid(IdempotentScript());

        Assert.That(script.Batches, Has.Count.GreaterThan(1), "GO separates batches");
    }

    [Test]
    public void Idempotent_script_creates_the_runs_table() => AssertRunsSchema(TSql.ParseValid(IdempotentScript()));

    [Test]
    public void Create_script_from_the_model_creates_the_same_runs_table()
    {
        using var db = OfflineSqlServer.CreateContext();

        AssertRunsSchema(TSql.ParseValid(db.Database.GenerateCreateScript()));
    }

    [Test]
    public void Idempotent_script_creates_the_idempotency_key_table() => AssertIdempotencyKeysSchema(TSql.ParseValid(IdempotentScript()));

    [Test]
    public void Create_script_from_the_model_creates_the_same_idempotency_key_table()
    {
        using var db = OfflineSqlServer.CreateContext();

        AssertIdempotencyKeysSchema(TSql.ParseValid(db.Database.GenerateCreateScript()));
    }

    private static string IdempotentScript()
    {
        using var db = OfflineSqlServer.CreateContext();
        return db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
    }

    private static string Normalized(string text) => text.ReplaceLineEndings("\n");

    private static void AssertRunsSchema(TSqlFragment script)
    {
        var runs = script.All<CreateTableStatement>().Where(table => table.SchemaObjectName.BaseIdentifier.Name() == "runs").ToList();
        Assert.That(runs, Has.Count.EqualTo(1), "one CREATE TABLE [runs]");
        var columns = runs[0].Definition.ColumnDefinitions.ToDictionary(column => column.ColumnIdentifier.Name(), column => column.DataType);
        // The idempotent script replays every migration: an index dropped by a later one counts only if created again after.
        var indexes = new Dictionary<string, List<string>>();
        foreach (var statement in script.All<TSqlStatement>())
        {
            if (statement is CreateIndexStatement create && create.OnName.BaseIdentifier.Name() == "runs")
            {
                indexes[create.Name.Name()] = [.. create.Columns.Select(column => column.Column.MultiPartIdentifier.Identifiers.Last().Name())];
            }
            else if (statement is DropIndexStatement drop)
            {
                foreach (var clause in drop.DropIndexClauses.OfType<DropIndexClause>())
                {
                    indexes.Remove(clause.Index.Name());
                }
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(Describe(columns.GetValueOrDefault("type")), Is.EqualTo("VarChar(32)"), "discriminator [type]");
            foreach (var name in JsonColumns)
            {
                Assert.That(Describe(columns.GetValueOrDefault(name)), Is.EqualTo("NVarChar(max)"), $"JSON text column [{name}]");
            }

            Assert.That(Describe(columns.GetValueOrDefault("version")), Is.EqualTo("Rowversion"), "concurrency token [version]");
            Assert.That(Describe(columns.GetValueOrDefault("startDateTime")), Is.EqualTo("DateTimeOffset(7)"));
            Assert.That(Describe(columns.GetValueOrDefault("endDateTime")), Is.EqualTo("DateTimeOffset(7)"));
            Assert.That(indexes, Is.EquivalentTo(ListIndexes.Expected.Append(new("IX_runs_version", ["version"])).ToDictionary(index => index.Key, index => index.Value.ToList())),
                "one index per documented list shape (Tests/Storage/ListIndexes.cs), each ending in id, and rowversion for delta");
        });
    }

    /// <summary>Keys are found by their hash (the primary key) and pruned oldest first (an index on createdAt).</summary>
    private static void AssertIdempotencyKeysSchema(TSqlFragment script)
    {
        var tables = script.All<CreateTableStatement>().Where(table => table.SchemaObjectName.BaseIdentifier.Name() == "idempotencyKeys").ToList();
        Assert.That(tables, Has.Count.EqualTo(1), "one CREATE TABLE [idempotencyKeys]");
        var definition = tables[0].Definition;
        var columns = definition.ColumnDefinitions.ToDictionary(column => column.ColumnIdentifier.Name(), column => (column.DataType, Nullable: column.Constraints.OfType<NullableConstraintDefinition>().SingleOrDefault()?.Nullable));
        var primaryKey = definition.TableConstraints.OfType<UniqueConstraintDefinition>().Where(constraint => constraint.IsPrimaryKey)
            .SelectMany(constraint => constraint.Columns.Select(column => column.Column.MultiPartIdentifier.Identifiers.Last().Name())).ToList();
        var indexes = script.All<CreateIndexStatement>()
            .Where(index => index.OnName.BaseIdentifier.Name() == "idempotencyKeys")
            .ToDictionary(index => index.Name.Name(), index => index.Columns.Select(column => column.Column.MultiPartIdentifier.Identifiers.Last().Name()).ToList());

        Assert.Multiple(() =>
        {
            Assert.That(Describe(columns.GetValueOrDefault("keyHash").DataType), Is.EqualTo("Char(64)"));
            Assert.That(Describe(columns.GetValueOrDefault("requestHash").DataType), Is.EqualTo("Char(64)"));
            Assert.That(Describe(columns.GetValueOrDefault("runId").DataType), Is.EqualTo("VarChar(36)"));
            Assert.That(Describe(columns.GetValueOrDefault("createdAt").DataType), Is.EqualTo("DateTime2"));
            Assert.That(columns.Values.Select(column => column.Nullable), Is.All.False, "every column NOT NULL");
            Assert.That(primaryKey, Is.EqualTo(new[] { "keyHash" }), "primary key");
            Assert.That(indexes.GetValueOrDefault("IX_idempotencyKeys_createdAt"), Is.EqualTo(new[] { "createdAt" }));
        });
    }

    private static string Describe(DataTypeReference? type) => type switch
    {
        SqlDataTypeReference { Parameters.Count: 0 } sql => sql.SqlDataTypeOption.ToString(),
        SqlDataTypeReference sql => $"{sql.SqlDataTypeOption}({string.Join(",", sql.Parameters.Select(p => p is MaxLiteral ? "max" : p.Value))})",
        null => "(no such column)",
        _ => $"{type.GetType().Name} {type.Name.BaseIdentifier.Name()}",
    };
}
