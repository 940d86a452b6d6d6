using System.Data.Common;
using System.Linq.Expressions;
using IndustryData.OData.Model.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace IndustryData.OData.Service.Storage;

/// <summary>
/// Turns a row of the runs table into a <see cref="Run"/> of the right derived type, compiled once from EF Core's
/// model: the same columns, discriminator values, reader methods and value converters EF Core uses, so a hand-run
/// command cannot drift from the mapping (a test reads every kind of run both ways and compares).
/// </summary>
public sealed class RunMaterializer
{
    private readonly Func<DbDataReader, Run?> materialize;

    private RunMaterializer(IReadOnlyList<string> columns, Func<DbDataReader, Run?> materialize)
    {
        Columns = columns;
        this.materialize = materialize;
    }

    /// <summary>The columns a command must select, in this order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The run of the reader's current row; null for a discriminator no CLR type maps.</summary>
    public Run? Read(DbDataReader reader) => materialize(reader);

    /// <param name="model">EF Core's model of the runs table.</param>
    /// <param name="datesAsSqliteText">The reader is SQLite's: date-time columns are read as their stored text (<see cref="SqliteDateText"/>).</param>
    public static RunMaterializer From(IModel model, bool datesAsSqliteText)
    {
        var root = model.FindEntityType(typeof(Run)) ?? throw new InvalidOperationException("The model has no Run entity.");
        var table = StoreObjectIdentifier.Table(root.GetTableName()!, root.GetSchema());
        var discriminator = root.FindDiscriminatorProperty() ?? throw new InvalidOperationException("Run has no discriminator.");
        var columns = new List<string> { discriminator.GetColumnName(table)! };
        var ordinals = new Dictionary<string, int>(StringComparer.Ordinal);

        var reader = Expression.Parameter(typeof(DbDataReader), "reader");
        var type = Expression.Variable(typeof(string), "type");
        var cases = new List<SwitchCase>();
        foreach (var entity in root.GetDerivedTypesInclusive().Where(entity => !entity.ClrType.IsAbstract))
        {
            var run = Expression.Variable(entity.ClrType, "run");
            var body = new List<Expression> { Expression.Assign(run, Expression.New(entity.ClrType)) };
            foreach (var property in entity.GetProperties().Where(property => property.PropertyInfo is not null))
            {
                var column = property.GetColumnName(table)!;
                if (!ordinals.TryGetValue(column, out var ordinal))
                {
                    ordinal = columns.Count;
                    ordinals[column] = ordinal;
                    columns.Add(column);
                }

                body.Add(Expression.Assign(Expression.Property(run, property.PropertyInfo!), ValueOf(reader, ordinal, property, datesAsSqliteText)));
            }

            body.Add(Expression.Convert(run, typeof(Run)));
            cases.Add(Expression.SwitchCase(Expression.Block(typeof(Run), [run], body), Expression.Constant(entity.GetDiscriminatorValue(), typeof(string))));
        }

        var readType = Expression.Call(reader, typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetString))!, Expression.Constant(0));
        var lambda = Expression.Lambda<Func<DbDataReader, Run?>>(
            Expression.Block(typeof(Run), [type],
                Expression.Assign(type, readType),
                Expression.Switch(type, Expression.Constant(null, typeof(Run)), null, cases)),
            reader);
        return new RunMaterializer(columns, lambda.Compile());
    }

    /// <summary>reader.IsDBNull(i) ? default : converter(reader.Get…(i)), as EF Core's shaper reads the column.</summary>
    private static Expression ValueOf(ParameterExpression reader, int ordinal, IProperty property, bool datesAsSqliteText)
    {
        var mapping = (RelationalTypeMapping)property.GetTypeMapping();
        var index = Expression.Constant(ordinal);
        var readerMethod = mapping.GetDataReaderMethod();
        Expression value = datesAsSqliteText && readerMethod.Name == nameof(DbDataReader.GetDateTime) && readerMethod.ReturnType == typeof(DateTime)
            ? Expression.Call(typeof(SqliteDateText).GetMethod(nameof(SqliteDateText.Read))!, reader, index)
            : Expression.Call(reader, readerMethod, index);
        var converter = mapping.Converter;
        var providerType = converter?.ProviderClrType ?? mapping.ClrType;
        if (value.Type != providerType)
        {
            value = Expression.Convert(value, providerType);
        }

        if (converter is not null)
        {
            value = Expression.Invoke(converter.ConvertFromProviderExpression, value);
        }

        var target = property.PropertyInfo!.PropertyType;
        if (value.Type != target)
        {
            value = Expression.Convert(value, target);
        }

        // Like EF Core's shaper: only a nullable column is asked whether it is NULL (each question is a native call).
        return property.IsNullable
            ? Expression.Condition(Expression.Call(reader, typeof(DbDataReader).GetMethod(nameof(DbDataReader.IsDBNull))!, index), Expression.Default(target), value)
            : value;
    }
}
