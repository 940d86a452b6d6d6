using System.Data.Common;
using System.Globalization;
using System.Text;
using IndustryData.OData.Model.Edm;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Protocol;
using IndustryData.OData.Service.Runs;
using IndustryData.OData.Service.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// GET runs?$apply=… (OData Data Aggregation Extension 4.0): the transformation sequence and then $filter, $orderby,
/// $count, $skip and $top on its result, as one SQL statement with GROUP BY, parameterised, sent through EF Core's
/// command pipeline (so its interceptors and diagnostics see it). Only the page is read. The groups of a result are
/// ordered totally (the requested order, then every output property), so a page is a $skip of the same query and the
/// next link is exact while the data does not change.
/// </summary>
public sealed class ApplyQuery(RunsDbContext db, StatementBudgets budgets)
{
    private static readonly string[] WithApply = ["$apply", "$filter", "$orderby", "$top", "$skip", "$count", "$format"];
    private static readonly string[] NotWithApply = ["$select", "$compute", "$search", "$skiptoken", "$deltatoken", "$index", "$schemaversion"];

    public static bool Requested(HttpRequest request) =>
        request.Query.Keys.Any(key => key.TrimStart('$').Equals("apply", StringComparison.OrdinalIgnoreCase));

    public async Task<IActionResult> ListAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : Run
    {
        using var budget = budgets.Start(request, cancellationToken);
        try
        {
            return await budget.RunAsync(token => ListWithinAsync<T>(request, token));
        }
        catch (Exception exception) when (budget.IsExceeded(exception))
        {
            throw TooExpensive(budget);
        }
    }

    private async Task<IActionResult> ListWithinAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : Run
    {
        var format = ApplyResult.Format.Of(request);
        var options = Options<T>(request);
        var relation = Build<T>(options);
        if (relation.Output is null)
        {
            throw QueryNotImplemented.For("a transformation sequence without aggregate or groupby (its result would be runs, not aggregated instances)",
                "Ask for runs with $filter, $orderby, $top, $skip and $count, or add groupby/aggregate to $apply", ApplyParser.Option);
        }

        var top = Number(options, "$top");
        if (top > RunQueryOptions.MaxTop)
        {
            throw ApiException.BadRequest("topTooLarge", $"$top={top} is more than this service returns in one request; the maximum is {RunQueryOptions.MaxTop}. Use $top up to {RunQueryOptions.MaxTop} and follow @odata.nextLink.", "$top");
        }

        var skip = Number(options, "$skip") ?? 0;
        var count = Flag(options);
        var preferred = Preferences.MaxPageSize(request);
        var pageSize = preferred is { } size ? Math.Min(size, RunQueryOptions.MaxTop) : RunQuery.DefaultPageSize;
        var take = top is { } t ? Math.Min(t, pageSize) : pageSize;
        var countSql = count ? $"SELECT {relation.Dialect.CountAll} FROM ({relation.Render(final: false, count: false)}) AS counted" : null;
        relation.Page(skip, take + 1);
        var sql = relation.Render(final: true, count: count);
        var columns = relation.Output!;
        var rows = new List<object?[]>();
        long? total = null;
        await using (var reader = await ExecuteAsync(sql, relation.Parameters, cancellationToken))
        {
            while (await reader.DbDataReader.ReadAsync(cancellationToken))
            {
                rows.Add([.. columns.Select((column, index) => Read(reader.DbDataReader, index, column.Value.Kind))]);
                if (count)
                {
                    total ??= Convert.ToInt64(reader.DbDataReader.GetValue(columns.Count), CultureInfo.InvariantCulture);
                }
            }
        }

        if (count && total is null)
        {
            total = skip == 0 ? 0 : await ScalarAsync(countSql!, relation.Parameters, cancellationToken);
        }

        Uri? nextLink = null;
        if (rows.Count > take)
        {
            rows.RemoveAt(rows.Count - 1);
            if (top is null || top > take)
            {
                nextLink = NextLink(request, skip + take, top - take);
            }
        }

        if (preferred is { } applied)
        {
            Preferences.AppliedAsStated(request.HttpContext, "maxpagesize", applied);
        }

        return new ApplyResult(ContextUrl<T>(request, columns), columns, rows, total, nextLink, format);
    }

    /// <summary>runs/$count?$apply=…: the number of instances in the result of $apply (§3: the plain-text count).</summary>
    public async Task<long> CountAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : Run
    {
        var relation = Build<T>(Options<T>(request));
        var sql = $"SELECT {relation.Dialect.CountAll} FROM ({relation.Render(final: false, count: false)}) AS counted";
        using var budget = budgets.Start(request, cancellationToken);
        try
        {
            return await budget.RunAsync(token => ScalarAsync(sql, relation.Parameters, token));
        }
        catch (Exception exception) when (budget.IsExceeded(exception))
        {
            throw TooExpensive(budget);
        }
    }

    private static ApiException TooExpensive(StatementBudget budget) => budget.TooExpensive(ApplyParser.Option,
        "Start $apply with filter(…) on a condition an index serves (a startDateTime range, status eq 'failed' with the range, startswith(displayName,'…')), or send the request with Prefer: respond-async, which has a longer budget.");

    private ApplyRelation Build<T>(Dictionary<string, string> options)
        where T : Run
    {
        var elementType = (IEdmStructuredType)IndustryDataEdm.Model.FindType(RunTypeNames.Of(typeof(T)));
        var set = IndustryDataEdm.Model.EntityContainer.FindEntitySet(IndustryDataEdm.RunsEntitySetName);
        var aliases = options.Where(pair => pair.Key.StartsWith('@')).ToDictionary(pair => pair.Key, pair => ODataSyntax401.Rewrite(pair.Value), StringComparer.Ordinal);
        var parsed = ApplyParser.Parse(options["$apply"], elementType, set, aliases);
        var discriminator = typeof(T) == typeof(Run) ? null : RunTypeNames.Of(typeof(T))[(IndustryDataEdm.Namespace.Length + 1)..];
        var relation = ApplyRelation.Runs(ApplyDialect.For(db.Database.IsSqlite()), discriminator);
        foreach (var step in parsed.Steps)
        {
            relation.Apply(step, ApplyParser.Option);
        }

        if (options.TryGetValue("$filter", out var filter))
        {
            var clause = Bound("$filter", () => ApplyParser.ParserAfter(parsed.BoundPrefix, elementType, set, With(aliases, "$filter", filter)).ParseFilter());
            relation.Apply(new ApplyFilter(clause.Expression), "$filter");
        }

        if (options.TryGetValue("$orderby", out var orderBy))
        {
            var clause = Bound("$orderby", () => ApplyParser.ParserAfter(parsed.BoundPrefix, elementType, set, With(aliases, "$orderby", orderBy)).ParseOrderBy());
            relation.Apply(ApplyParser.OrderBy(clause), "$orderby");
        }

        return relation;
    }

    private static Dictionary<string, string> With(Dictionary<string, string> aliases, string option, string text) =>
        new(aliases, StringComparer.Ordinal) { [option] = ODataSyntax401.Rewrite(text) };

    private static TClause Bound<TClause>(string option, Func<TClause> parse)
    {
        try
        {
            return parse();
        }
        catch (ODataException exception) when (exception.Message.Contains("must evaluate to a property access value", StringComparison.Ordinal))
        {
            throw ApiException.BadRequest("invalidQueryOption",
                $"{option} uses a property that $apply aggregated away ({exception.Message}). Use the grouping properties and aliases of the result.", option);
        }
        catch (ODataException exception)
        {
            throw ApiException.BadRequest("invalidQueryOption",
                $"{option} is invalid: {exception.Message} With $apply, {option} applies to the result of $apply: use its grouping properties and aliases.", option);
        }
    }

    /// <summary>
    /// The query options of a $apply request, by their $-name; options that do not combine with $apply are refused here,
    /// $expand=* is checked and left out (there is nothing to expand).
    /// </summary>
    private static Dictionary<string, string> Options<T>(HttpRequest request)
        where T : Run
    {
        RunQueryOptions.RejectRepeated(request.Query);
        ExpandOption.Check(request.Query, (IEdmStructuredType)IndustryDataEdm.Model.FindType(RunTypeNames.Of(typeof(T))));
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in request.Query)
        {
            if (key.StartsWith('@'))
            {
                options[key] = values.ToString();
                continue;
            }

            var name = "$" + key.TrimStart('$').ToLowerInvariant();
            if (name == ExpandOption.Option)
            {
                continue;
            }

            if (WithApply.Contains(name))
            {
                options[name] = values.ToString();
            }
            else if (NotWithApply.Contains(name))
            {
                throw name == "$skiptoken"
                    ? ApiException.BadRequest("invalidQueryOption", "$skiptoken is not used with $apply: its pages are addressed by $skip. Follow @odata.nextLink as returned.", name)
                    : QueryNotImplemented.For($"{name} together with $apply", "Shape the result within $apply (groupby chooses the properties, compute adds values)", name);
            }
            else if (key.StartsWith('$'))
            {
                throw ApiException.BadRequest("unknownQueryOption", $"{key} is not an OData system query option. With $apply: {string.Join(", ", WithApply)}.", key);
            }
        }

        return options;
    }

    private static long? Number(Dictionary<string, string> options, string name)
    {
        if (!options.TryGetValue(name, out var text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ApiException.BadRequest("invalidQueryOption", $"{name}={text} is not a non-negative integer. Send e.g. {name}=10.", name);
    }

    private static bool Flag(Dictionary<string, string> options)
    {
        if (!options.TryGetValue("$count", out var text))
        {
            return false;
        }

        return text.ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            _ => throw ApiException.BadRequest("invalidQueryOption", $"$count={text} is neither true nor false.", "$count"),
        };
    }

    private async Task<RelationalDataReader> ExecuteAsync(string sql, IReadOnlyList<KeyValuePair<string, object>> parameters, CancellationToken cancellationToken)
    {
        var builder = db.GetService<IRelationalCommandBuilderFactory>().Create().Append(sql);
        var mappings = db.GetService<IRelationalTypeMappingSource>();
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters)
        {
            builder.AddParameter(name, name, mappings.GetMapping(value.GetType()), nullable: false);
            values[name] = value;
        }

        var command = builder.Build();
        try
        {
            return await command.ExecuteReaderAsync(new RelationalCommandParameterObject(
                db.GetService<IRelationalConnection>(), values, null, db, db.GetService<IRelationalCommandDiagnosticsLogger>(), CommandSource.FromSqlQuery), cancellationToken);
        }
        catch (Microsoft.Data.SqlClient.SqlException exception) when (exception.Number is 8134 or 8115 or 220 or 232 or 517 or 535)
        {
            // SQL Server raises per row what SQLite answers with null: a division by zero, an overflow.
            throw ApiException.BadRequest("invalidQueryOption",
                "$apply has arithmetic that cannot be evaluated on some run (a division or modulo by zero, or an overflow). Fix the expression, or filter those runs out first.", ApplyParser.Option);
        }
    }

    private async Task<long> ScalarAsync(string sql, IReadOnlyList<KeyValuePair<string, object>> parameters, CancellationToken cancellationToken)
    {
        await using var reader = await ExecuteAsync(sql, parameters, cancellationToken);
        return await reader.DbDataReader.ReadAsync(cancellationToken) ? Convert.ToInt64(reader.DbDataReader.GetValue(0), CultureInfo.InvariantCulture) : 0;
    }

    private static object? Read(DbDataReader reader, int index, ApplyKind kind)
    {
        if (reader.IsDBNull(index))
        {
            return null;
        }

        var value = reader.GetValue(index);
        return kind switch
        {
            ApplyKind.String or ApplyKind.Json => Convert.ToString(value, CultureInfo.InvariantCulture),
            ApplyKind.Int32 or ApplyKind.Int64 or ApplyKind.Decimal when value is decimal exact => exact,
            ApplyKind.Int32 or ApplyKind.Int64 or ApplyKind.Decimal when value is double real => (decimal)real,
            ApplyKind.Int32 or ApplyKind.Int64 or ApplyKind.Decimal => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            ApplyKind.Double => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            ApplyKind.Boolean => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0,
            ApplyKind.Status => RunStatusNames.ToWireName((RunStatus)Convert.ToInt32(value, CultureInfo.InvariantCulture)),
            ApplyKind.DateTimeOffset => value switch
            {
                DateTimeOffset offset => offset.ToUniversalTime(),
                DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
                _ => DateTimeOffset.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
            },
            ApplyKind.Date => value switch
            {
                DateTime dateTime => DateOnly.FromDateTime(dateTime),
                DateOnly date => date,
                _ => DateOnly.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture),
            },
            _ => value,
        };
    }

    /// <summary>$metadata#runs(status,n), nested for complex paths: runs(blockingError(code),n) (Data Aggregation §3.1.1, Protocol §10.9).</summary>
    private static string ContextUrl<T>(HttpRequest request, IReadOnlyList<ApplyColumn> columns)
        where T : Run
    {
        var set = typeof(T) == typeof(Run) ? IndustryDataEdm.RunsEntitySetName : IndustryDataEdm.RunsEntitySetName + "/" + RunTypeNames.Of(typeof(T));
        var items = SelectList(columns.Where(column => !column.Hidden).Select(column => column.Path).ToList(), 0);
        return $"{RunResponses.ServiceRoot(request)}/$metadata#{set}({items})";
    }

    private static string SelectList(List<IReadOnlyList<string>> paths, int depth) =>
        string.Join(',', paths.GroupBy(path => path[depth]).Select(group => group.Any(path => path.Count == depth + 1)
            ? group.Key
            : $"{group.Key}({SelectList([.. group], depth + 1)})"));

    /// <summary>The request's own URL with the next page's $skip and what is left of $top.</summary>
    private static Uri NextLink(HttpRequest request, long skip, long? top)
    {
        var query = new StringBuilder();
        foreach (var (key, values) in request.Query)
        {
            var name = key.TrimStart('$');
            if (name.Equals("skip", StringComparison.OrdinalIgnoreCase) || name.Equals("top", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var value in values)
            {
                Append(query, key, value ?? string.Empty);
            }
        }

        if (top is { } remaining)
        {
            Append(query, "$top", remaining.ToString(CultureInfo.InvariantCulture));
        }

        Append(query, "$skip", skip.ToString(CultureInfo.InvariantCulture));
        return new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{query}");
    }

    private static void Append(StringBuilder query, string key, string value)
    {
        if (query.Length > 0)
        {
            query.Append('&');
        }

        query.Append(key.StartsWith('$') ? "$" + Uri.EscapeDataString(key[1..]) : Uri.EscapeDataString(key));
        query.Append('=').Append(Uri.EscapeDataString(value));
    }
}
