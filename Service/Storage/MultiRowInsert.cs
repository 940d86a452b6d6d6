using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace IndustryData.OData.Service.Storage;

/// <summary>
/// Inserts a group commit's rows with one multi-row INSERT. EF Core's SQLite provider writes one statement per entity,
/// each generated, bound and tracked on its own, inside the single writer's serial section; one statement for the
/// group cuts that section to the rows themselves. Table, columns, value converters and parameter types all come from
/// the EF model, so the statement matches the schema and stores exactly what EF Core would.
/// Columns: every property the database does not generate, the discriminator included; other shadow properties are left
/// to their column defaults. Store-generated values (SQL Server's rowversion) are not read back.
/// </summary>
internal static class MultiRowInsert
{
    /// <summary>Inserts the entities in the context's current transaction, or as a statement of its own (atomic alone).</summary>
    public static async Task InsertAsync<TEntity>(RunsDbContext db, IReadOnlyList<TEntity> entities, CancellationToken cancellationToken)
        where TEntity : class
    {
        if (entities.Count == 0)
        {
            return;
        }

        var root = db.Model.FindEntityType(typeof(TEntity))!.GetRootType();
        var table = StoreObjectIdentifier.Table(root.GetTableName()!, root.GetSchema());
        var columns = Columns(root);
        var sql = db.GetService<ISqlGenerationHelper>();

        var text = new StringBuilder("INSERT INTO ").Append(sql.DelimitIdentifier(table.Name, table.Schema)).Append(" (")
            .AppendJoin(", ", columns.Select(property => sql.DelimitIdentifier(property.GetColumnName(table)!))).Append(") VALUES ");
        var parameters = new List<DbParameter>(entities.Count * columns.Length);
        await using var parameterFactory = db.Database.GetDbConnection().CreateCommand(); // makes the provider's parameters; never run
        for (var row = 0; row < entities.Count; row++)
        {
            var entity = entities[row];
            var type = db.Model.FindEntityType(entity.GetType())!;
            text.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < columns.Length; column++)
            {
                var property = columns[column];
                var name = sql.GenerateParameterName("p" + parameters.Count.ToString(CultureInfo.InvariantCulture));
                text.Append(column == 0 ? "" : ", ").Append(name);
                parameters.Add(property.GetRelationalTypeMapping().CreateParameter(parameterFactory, name, Value(property, type, entity), property.IsNullable));
            }

            text.Append(')');
        }

        await db.Database.ExecuteSqlRawAsync(text.Append(';').ToString(), parameters, cancellationToken);
    }

    /// <summary>The columns of the hierarchy's table that the insert writes, in model order.</summary>
    private static IProperty[] Columns(IEntityType root)
    {
        var discriminator = root.FindDiscriminatorProperty();
        return
        [
            .. root.GetDerivedTypesInclusive().SelectMany(type => type.GetDeclaredProperties())
                .Where(property => property.ValueGenerated == ValueGenerated.Never && (!property.IsShadowProperty() || property == discriminator)),
        ];
    }

    /// <summary>The model value of one column for one entity (a converter, if any, is applied by the parameter).</summary>
    private static object? Value(IProperty property, IEntityType type, object entity)
    {
        if (property.IsShadowProperty())
        {
            return type.GetDiscriminatorValue();
        }

        // A column of a sibling type in the hierarchy's table: null for this row.
        return property.DeclaringType.IsAssignableFrom(type) ? property.GetGetter().GetClrValueUsingContainingEntity(entity) : null;
    }
}
