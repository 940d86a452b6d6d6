using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace IndustryData.OData.Tests.Storage;

/// <summary>T-SQL parsed the way SQL Server 2022 parses it (ScriptDom), for offline checks of generated SQL.</summary>
public static class TSql
{
    public static TSqlFragment Parse(string sql, out IList<ParseError> errors)
    {
        using var reader = new StringReader(sql);
        return new TSql160Parser(initialQuotedIdentifiers: true).Parse(reader, out errors);
    }

    /// <summary>Parses and fails the test, listing every error, unless the text is valid T-SQL.</summary>
    public static TSqlFragment ParseValid(string sql)
    {
        var script = Parse(sql, out var errors);
        Assert.That(errors.Select(error => $"line {error.Line}, column {error.Column}: {error.Message}"), Is.Empty, sql);
        return script;
    }

    public static IReadOnlyList<T> All<T>(this TSqlFragment fragment)
        where T : TSqlFragment
    {
        var collector = new Collector<T>();
        fragment.Accept(collector);
        return collector.Found;
    }

    public static string Name(this Identifier? identifier) => identifier?.Value ?? string.Empty;

    private sealed class Collector<T> : TSqlFragmentVisitor
        where T : TSqlFragment
    {
        public List<T> Found { get; } = [];

        public override void Visit(TSqlFragment fragment)
        {
            if (fragment is T match)
            {
                Found.Add(match);
            }
        }
    }
}
