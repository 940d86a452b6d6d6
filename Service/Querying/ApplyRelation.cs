using System.Text;
using IndustryData.OData.Model.Edm;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Storage;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// One SELECT of the statement a $apply becomes. Transformations are added to the current level while SQL allows it
/// (filter and compute before grouping, orderby/top/skip after); otherwise the level becomes a derived table of a new
/// one (<see cref="Wrap"/>). Before any aggregation a level's instances are runs (their columns by the table alias, plus
/// computed aliases); after it they are the <see cref="Output"/> columns. The whole sequence stays one statement.
/// </summary>
public sealed class ApplyRelation
{
    private static readonly Dictionary<string, (string Column, ApplyKind Kind)> Declared = new(StringComparer.Ordinal)
    {
        ["id"] = ("id", ApplyKind.String),
        ["displayName"] = ("displayName", ApplyKind.String),
        ["startDateTime"] = ("startDateTime", ApplyKind.DateTimeOffset),
        ["endDateTime"] = ("endDateTime", ApplyKind.DateTimeOffset),
        ["status"] = ("status", ApplyKind.Status),
    };

    private static readonly string[] ErrorMembers = ["code", "message", "target"];

    private readonly List<KeyValuePair<string, object>> parameters;
    private readonly Counter aliases;
    private readonly List<string> joins = [];
    private readonly Dictionary<string, string> joinAliases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ApplyDialect.JsonMember> members = new(StringComparer.Ordinal);
    private readonly List<string> where = [];
    private string source;
    private string entityAlias;
    private Dictionary<string, ApplyValue> computed = new(StringComparer.Ordinal);
    private List<string>? groupBy;
    private bool grouping;

    private ApplyRelation(ApplyDialect dialect, string source, string entityAlias, List<KeyValuePair<string, object>> parameters, Counter aliases)
    {
        Dialect = dialect;
        this.source = source;
        this.entityAlias = entityAlias;
        this.parameters = parameters;
        this.aliases = aliases;
    }

    public ApplyDialect Dialect { get; }

    /// <summary>The columns after aggregation; null while the instances are still runs.</summary>
    public List<ApplyColumn>? Output { get; private set; }

    public List<(SingleValueNode Key, bool Descending)> Order { get; private set; } = [];

    public long? Top { get; private set; }

    public long? Skip { get; private set; }

    public IReadOnlyList<KeyValuePair<string, object>> Parameters => parameters;

    /// <summary>The runs of the addressed set; <paramref name="discriminator"/> restricts a type-cast set.</summary>
    public static ApplyRelation Runs(ApplyDialect dialect, string? discriminator)
    {
        var relation = new ApplyRelation(dialect, $"{dialect.Quote(RunConfiguration.TableName)} AS r", "r", [], new Counter());
        if (discriminator is not null)
        {
            relation.where.Add($"r.{dialect.Quote(RunConfiguration.DiscriminatorColumn)} = {relation.Parameter(discriminator)}");
        }

        return relation;
    }

    public string Parameter(object value)
    {
        var name = "@p" + parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        parameters.Add(new(name, value));
        return name;
    }

    public void Apply(ApplyStep step, string option)
    {
        switch (step)
        {
            case ApplyFilter filter:
                WrapIf(grouping || Top is not null || Skip is not null);
                where.Add(new ApplyExpressions(this, option).Condition(filter.Condition));
                break;
            case ApplyCompute compute:
                WrapIf(grouping || Top is not null || Skip is not null);
                foreach (var item in compute.Items)
                {
                    CheckAlias(item.Alias, option);
                    if (computed.ContainsKey(item.Alias) || Output?.Any(column => column.Name == item.Alias) == true)
                    {
                        throw ApiException.BadRequest("invalidQueryOption", $"{option} computes {item.Alias}, a name the instances already have. Choose another alias.", option);
                    }

                    var value = new ApplyExpressions(this, option).Value(item.Expression);
                    if (Output is null)
                    {
                        computed[item.Alias] = value;
                    }
                    else
                    {
                        Output.Add(new ApplyColumn([item.Alias], value, Declared: false));
                    }
                }

                break;
            case ApplyAggregate aggregate:
                WrapIf(grouping || Top is not null || Skip is not null);
                Aggregate(aggregate, option);
                break;
            case ApplyOrderBy orderBy:
                WrapIf(Top is not null || Skip is not null);
                Order = [.. orderBy.Keys, .. Order];
                break;
            case ApplyTop top:
                if (Top is { } current)
                {
                    Top = Math.Min(current, top.Count);
                }
                else
                {
                    Top = top.Count;
                }

                break;
            case ApplySkip skip:
                WrapIf(Top is not null);
                Skip = (Skip ?? 0) + skip.Count;
                break;
        }
    }

    /// <summary>The value of a path at this level.</summary>
    public ApplyValue Resolve(IReadOnlyList<string> path, SingleValueNode node, string option)
    {
        var name = string.Join('/', path);
        if (Output is not null)
        {
            return Output.FirstOrDefault(column => column.Name == name && !column.Hidden)?.Value
                ?? throw ApiException.BadRequest("invalidQueryOption",
                    $"{option} uses {name}, which the preceding transformations aggregated away. Use one of: {string.Join(", ", Output.Where(c => !c.Hidden).Select(c => c.Name))}.", option);
        }

        if (path.Count == 1 && computed.TryGetValue(path[0], out var alias))
        {
            return alias;
        }

        if (path.Count == 1 && Declared.TryGetValue(path[0], out var declared))
        {
            return new ApplyValue($"{entityAlias}.{Dialect.Quote(declared.Column)}", declared.Kind);
        }

        if (path.Count == 2 && path[0] == "blockingError" && ErrorMembers.Contains(path[1]))
        {
            return new ApplyValue(Member("blockingError", path.Skip(1).ToList()).String, ApplyKind.String);
        }

        if (path.Count >= 2 && path[0] == "statistics" && path.Skip(1).All(IsIdentifier))
        {
            var member = Member("statistics", path.Skip(1).ToList());
            return new ApplyValue(member.Text, ApplyKind.Json);
        }

        if (path.Count == 0)
        {
            throw QueryNotImplemented.For("the instance itself as a value", "Use its properties", option);
        }

        throw QueryNotImplemented.For($"the path {name}",
            "Use id, displayName, startDateTime, endDateTime, status, blockingError/code|message|target or statistics/<member>", option);
    }

    /// <summary>The JSON member behind a <see cref="ApplyKind.Json"/> value of this level, if it is one.</summary>
    public ApplyDialect.JsonMember? MemberOf(ApplyValue value) => members.GetValueOrDefault(value.Sql);

    public string IsOf(string typeName, string option)
    {
        var type = IndustryDataEdm.Model.FindType(typeName) as Microsoft.OData.Edm.IEdmEntityType;
        if (Output is not null || type is null)
        {
            throw ApiException.BadRequest("invalidQueryOption", Output is not null
                ? $"{option} uses isof after aggregation, where the instances have no type of their own. Compute it before: compute(isof('{typeName}') as alias)/groupby((alias),…)."
                : $"{option}: {typeName} is not a type of this service; use microsoft.graph.industryData.outgoingFlowRun or …incomingFlowRun.", option);
        }

        var concrete = new[] { IndustryDataEdm.OutgoingFlowRunTypeName, IndustryDataEdm.IncomingFlowRunTypeName }
            .Where(name => IndustryDataEdm.Model.FindType(name) is Microsoft.OData.Edm.IEdmEntityType candidate && candidate.InheritsFrom(type) || name == typeName)
            .Select(name => Parameter(name[(IndustryDataEdm.Namespace.Length + 1)..]))
            .ToList();
        return concrete.Count == 0 ? "(1 = 0)" : $"{entityAlias}.{Dialect.Quote(RunConfiguration.DiscriminatorColumn)} IN ({string.Join(", ", concrete)})";
    }

    private ApplyDialect.JsonMember Member(string column, List<string> path)
    {
        var member = Dialect.Member($"{entityAlias}.{Dialect.Quote(column)}", path, Join);
        members[member.Text] = member;
        return member;
    }

    private string Join(string clause)
    {
        if (!joinAliases.TryGetValue(clause, out var alias))
        {
            alias = "j" + aliases.Next();
            joinAliases[clause] = alias;
            joins.Add(clause + alias);
        }

        return alias;
    }

    /// <summary>Aliases must differ from the declared properties of the input type (Data Aggregation §3.1.1).</summary>
    private static void CheckAlias(string alias, string option)
    {
        if (Declared.ContainsKey(alias) || alias is "blockingError" or "statistics")
        {
            throw ApiException.BadRequest("invalidQueryOption", $"{option} uses the alias {alias}, which is a property of run; an alias must differ from the declared properties. Choose another alias, e.g. {alias}Count.", option);
        }
    }

    private static bool IsIdentifier(string name) =>
        name.Length is > 0 and <= 128 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private void Aggregate(ApplyAggregate aggregate, string option)
    {
        var expressions = new ApplyExpressions(this, option);
        var output = new List<ApplyColumn>();
        var keys = new List<string>();
        foreach (var grouping in aggregate.GroupBy ?? [])
        {
            var value = expressions.Value(grouping.Expression);
            output.Add(new ApplyColumn(grouping.Path, value, Declared: value.Kind != ApplyKind.Json && Output is null && !computed.ContainsKey(grouping.Path[0]), Key: true));
            keys.Add(value.Sql);
            if (Output is null && grouping.Path.Count > 1 && grouping.Path[0] == "blockingError" && output.All(column => column.Name != ApplyColumn.NullMarker("blockingError")))
            {
                // A run without blockingError groups apart from one whose error has no code: blockingError is null, not {"code":null}.
                var marker = new ApplyValue(Dialect.Flag($"{entityAlias}.{Dialect.Quote("blockingError")} IS NULL"), ApplyKind.Boolean);
                output.Add(new ApplyColumn([ApplyColumn.NullMarker("blockingError")], marker, Declared: true, Hidden: true, Key: true));
                keys.Add(marker.Sql);
            }
        }

        foreach (var expression in aggregate.Aggregates)
        {
            output.Add(new ApplyColumn([expression.Alias], ApplyAggregates.Value(expression, expressions, this, option), Declared: false));
        }

        foreach (var expression in aggregate.Aggregates)
        {
            CheckAlias(expression.Alias, option);
        }

        var names = output.Select(column => column.Name).ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw ApiException.BadRequest("invalidQueryOption", $"{option} gives the name {names.GroupBy(n => n).First(g => g.Count() > 1).Key} twice; aliases must differ from each other and from the grouping properties.", option);
        }

        Output = output;
        groupBy = aggregate.GroupBy is null ? null : keys.Distinct(StringComparer.Ordinal).ToList();
        grouping = true;
        Order = [];
        computed = new(StringComparer.Ordinal);
    }

    private void WrapIf(bool needed)
    {
        if (needed)
        {
            Wrap();
        }
    }

    /// <summary>This level becomes a derived table; the new level sees its runs (or its output columns) under a new alias.</summary>
    private void Wrap()
    {
        var inner = Render(final: false, count: false);
        var alias = "t" + aliases.Next();
        source = $"({inner}) AS {alias}";
        joins.Clear();
        joinAliases.Clear();
        members.Clear();
        where.Clear();
        if (Output is null)
        {
            entityAlias = alias;
            computed = computed.ToDictionary(pair => pair.Key, pair => pair.Value with { Sql = $"{alias}.{Dialect.Quote(ComputedColumn(pair.Key))}" }, StringComparer.Ordinal);
        }
        else
        {
            Output = Output.Select((column, index) => column with { Value = column.Value with { Sql = $"{alias}.{Dialect.Quote(OutputColumn(index))}" } }).ToList();
        }

        groupBy = null;
        grouping = false;
        Top = null;
        Skip = null;
    }

    public static string OutputColumn(int index) => "c" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string ComputedColumn(string alias) => "apply_" + alias;

    /// <summary>
    /// The SELECT of this level. <paramref name="final"/> adds the tie-breakers that make the order total (the grouping
    /// columns: a group is unique by them; without groupby there is one instance), so $skip paging is exact; <paramref name="count"/> adds COUNT(*) OVER () as the
    /// last column (the number of instances before $skip/$top).
    /// </summary>
    public string Render(bool final, bool count)
    {
        var expressions = new ApplyExpressions(this, "$orderby");
        var order = Order.Select(key => expressions.Value(key.Key).Sql + (key.Descending ? " DESC" : string.Empty)).ToList();
        if (final && Output is not null)
        {
            order.AddRange(Output.Where(column => column.Key).Select(column => column.Value.Sql));
        }
        else if (Output is null && (Top is not null || Skip is not null))
        {
            // top/skip of runs: the order is made total by id, so the same request takes the same runs.
            order.Add($"{entityAlias}.{Dialect.Quote("id")}");
        }

        var ordered = order.DistinctBy(term => term.EndsWith(" DESC", StringComparison.Ordinal) ? term[..^5] : term, StringComparer.Ordinal).ToList();
        var sql = new StringBuilder("SELECT ");
        if (Output is null)
        {
            sql.Append(entityAlias).Append(".*");
            foreach (var (name, value) in computed)
            {
                sql.Append(", ").Append(value.Sql).Append(" AS ").Append(Dialect.Quote(ComputedColumn(name)));
            }
        }
        else
        {
            sql.AppendJoin(", ", Output.Select((column, index) => $"{column.Value.Sql} AS {Dialect.Quote(OutputColumn(index))}"));
        }

        if (count)
        {
            sql.Append(", ").Append(Dialect.CountAll).Append(" OVER () AS ").Append(Dialect.Quote("total"));
        }

        sql.Append(" FROM ").Append(source);
        foreach (var join in joins)
        {
            sql.Append(' ').Append(join);
        }

        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        if (groupBy is { Count: > 0 })
        {
            sql.Append(" GROUP BY ").AppendJoin(", ", groupBy);
        }

        var orderBy = ordered.Count > 0 && (final || Top is not null || Skip is not null) ? " ORDER BY " + string.Join(", ", ordered) : string.Empty;
        sql.Append(orderBy).Append(Dialect.Page(orderBy, Top, Skip));
        return sql.ToString();
    }

    /// <summary>Applies the page of the response: $skip, then $top (the caller asks one more than it shows).</summary>
    public void Page(long skip, long take)
    {
        if (skip > 0)
        {
            Apply(new ApplySkip(skip), "$skip");
        }

        Apply(new ApplyTop(take), "$top");
    }

    private sealed class Counter
    {
        private int next;

        public int Next() => next++;
    }
}
