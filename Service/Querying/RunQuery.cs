using System.Text;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Protocol;
using IndustryData.OData.Service.Querying.Search;
using IndustryData.OData.Service.Storage;
using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.OData.Edm;
using Microsoft.Extensions.Options;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// Runs the OData query options of a read against the database: $filter, $orderby, $skip, $top, $count and
/// server-driven paging are all translated to SQL; only the selected page is ever materialised.
/// </summary>
public sealed class RunQuery(RunsDbContext db, StatementBudgets budgets, IOptions<QueryingOptions> querying, SqliteRunReads? sqliteReads = null)
{
    public const int DefaultPageSize = 100;

    internal static readonly ODataQuerySettings Settings = new()
    {
        HandleNullPropagation = HandleNullPropagationOption.False,
        TimeZone = TimeZoneInfo.Utc,
        EnableConstantParameterization = true,
    };

    public async Task<IReadOnlyList<T>> ListAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : Run
    {
        var options = RunQueryOptions.Parse(request, typeof(T));
        using var budget = budgets.Start(request, cancellationToken);
        try
        {
            return await budget.RunAsync(token => ListWithinAsync<T>(request, options, token));
        }
        catch (Exception exception) when (budget.IsExceeded(exception))
        {
            throw budget.TooExpensive(options);
        }
    }

    private async Task<IReadOnlyList<T>> ListWithinAsync<T>(HttpRequest request, RunQueryOptions options, CancellationToken cancellationToken)
        where T : Run
    {
        // The direct first page is decided before anything is bound into an EF Core expression: on the hot
        // shapes only $count still needs the expression.
        var direct = sqliteReads is not null && db.Database.CurrentTransaction is null ? DirectFirstPage.Of<T>(request, options) : null;
        IQueryable<T>? bound = null;
        IQueryable<T> Selected() => bound ??= Filtered<T>(options); // bound (and any index probe) once, for $count and the page
        var feature = request.ODataFeature();
        if (options.Count)
        {
            feature.TotalCount = await Translated(() => Selected().LongCountAsync(cancellationToken));
        }

        var preferredPageSize = Preferences.MaxPageSize(request);
        var pageSize = preferredPageSize is { } preferred ? Math.Min(preferred, RunQueryOptions.MaxTop) : DefaultPageSize;
        var take = options.Top is { } top ? Math.Min(top, pageSize) : pageSize;
        var page = direct is not null
            ? (await sqliteReads!.FirstPageAsync(direct.Value.Status, take + 1, cancellationToken)).Cast<T>().ToList()
            : await PageAsync(Selected(), options, take, cancellationToken);
        if (page.Count > take)
        {
            page.RemoveAt(take);
            if (options.Top is null || options.Top > take)
            {
                if (SkipToken.FirstNotCarried(options.Order) is { Computed: { } computed })
                {
                    throw QueryNotImplemented.For($"$orderby on a computed property ({computed.Alias}, {computed.Type?.FullName() ?? "untyped"}) together with paging",
                        "Sort on a computed property of type string or integer, or ask for at most one page ($top, or Prefer: odata.maxpagesize)", "$orderby");
                }

                feature.NextLink = NextLink(request, SkipToken.Create(options.Order, page[^1], options.Identity), options.Top - take);
            }
        }

        if (preferredPageSize is { } applied)
        {
            Preferences.AppliedAsStated(request.HttpContext, "maxpagesize", applied);
        }

        feature.SelectExpandClause = options.Select;
        ComputedProperties.AttachTo(request, options.Computed);
        NestedSelectOptions.Apply(options.Select, page, request.Query);
        options.SelectedStatistics.Apply(page);
        return page;
    }

    public async Task<long> CountAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : Run
    {
        var options = RunQueryOptions.Parse(request, typeof(T));
        using var budget = budgets.Start(request, cancellationToken);
        try
        {
            return await budget.RunAsync(token => Translated(() => Filtered<T>(options).LongCountAsync(token)));
        }
        catch (Exception exception) when (budget.IsExceeded(exception))
        {
            throw budget.TooExpensive(options);
        }
    }

    /// <summary>The runs of <typeparamref name="T"/> that $filter and $search select, each served by its index (<see cref="NameSubstringIndex"/>, <see cref="SearchPredicate"/>).</summary>
    private IQueryable<T> Filtered<T>(RunQueryOptions options)
        where T : Run
    {
        var filtered = NameSubstringIndex.Apply(Bound(db.RunsOf<T>(), options), db, querying.Value.CommonWordMatches);
        return options.Search is { } search ? SearchPredicate.Apply(filtered, search, db) : filtered;
    }

    /// <summary>One run by key, with $select applied on output; null if there is none of type <typeparamref name="T"/>.</summary>
    public async Task<T?> FindAsync<T>(HttpRequest request, string key, CancellationToken cancellationToken)
        where T : Run
    {
        if (request.QueryString.HasValue && ApplyQuery.Requested(request))
        {
            // Data Aggregation §3: "$apply MUST NOT be used if the resource path addresses a single instance".
            throw ApiException.BadRequest("queryOptionNotApplicable",
                "$apply transforms collections and must not be used on a single run (OData Data Aggregation, section 3). Apply it to the set instead, e.g. GET runs?$apply=filter(id eq '…')/aggregate(…).", "$apply");
        }

        var options = request.QueryString.HasValue ? RunQueryOptions.Parse(request, typeof(T)) : null;
        if (options?.Search is not null)
        {
            throw ApiException.BadRequest("queryOptionNotApplicable", "$search applies to collections (GET runs?$search=…), not to one run.", "$search");
        }

        var select = options?.Select;
        request.ODataFeature().SelectExpandClause = select;
        ComputedProperties.AttachTo(request, options?.Computed);
        var run = options?.Computed is { } computed
            ? (await Translated(() => computed.ReadAsync(db.RunsOf<T>().Where(run => run.Id == key), cancellationToken))).FirstOrDefault()
            : sqliteReads is not null && db.Database.CurrentTransaction is null
            ? await sqliteReads.FindAsync(key, cancellationToken) as T
            : await ByKey<T>.Query(db, key, cancellationToken);
        if (run is not null)
        {
            NestedSelectOptions.Apply(select, [run], request.Query);
            options?.SelectedStatistics.Apply([run]);
        }

        return run;
    }

    /// <summary>The by-key read on SQL Server (and in a change set), compiled once per type: it skips LINQ translation and cache lookup.</summary>
    private static class ByKey<T>
        where T : Run
    {
        public static readonly Func<RunsDbContext, string, CancellationToken, Task<T?>> Query = typeof(T) == typeof(Run)
            ? (Func<RunsDbContext, string, CancellationToken, Task<T?>>)(object)EF.CompileAsyncQuery(
                (RunsDbContext db, string id, CancellationToken cancellationToken) => db.Runs.AsNoTracking().FirstOrDefault(run => run.Id == id))
            : EF.CompileAsyncQuery((RunsDbContext db, string id, CancellationToken cancellationToken) => db.Runs.AsNoTracking().OfType<T>().FirstOrDefault(run => run.Id == id));
    }

    /// <summary>The $filter applied to <paramref name="source"/> as plain predicates (index markers dropped: no list of runs here).</summary>
    public static IQueryable<T> ApplyFilter<T>(IQueryable<T> source, RunQueryOptions options) => NameSubstringIndex.Apply(Bound(source, options), null);

    private static IQueryable<T> Bound<T>(IQueryable<T> source, RunQueryOptions options)
    {
        try
        {
            return options.Filter is null ? source : (IQueryable<T>)options.Filter.ApplyTo(source, Settings);
        }
        catch (Exception exception) when (exception is NotImplementedException or NotSupportedException)
        {
            // The stock binder throws for constructs it parses but cannot bind; valid OData, so a 501 (never a 400).
            throw QueryNotImplemented.For("an expression the stock OData binder cannot bind", NotEvaluated);
        }
    }

    internal const string NotEvaluated =
        "Use comparisons, and/or/not, in, arithmetic, and the canonical functions on id, displayName, startDateTime, endDateTime and status (README, \"Read and query\")";

    /// <summary>
    /// Up to <paramref name="take"/> + 1 rows in the list's total order (the extra row says whether a next page exists):
    /// from the start, after the client's $skip, or after the $skiptoken cursor, which is a seek on an index whatever the depth.
    /// </summary>
    private static async Task<List<T>> PageAsync<T>(IQueryable<T> filtered, RunQueryOptions options, int take, CancellationToken cancellationToken)
        where T : Run
    {
        var order = options.Order;
        if (options.SkipToken is not { } token)
        {
            var ordered = order.Apply(filtered);
            return await Translated(() => Read((options.Skip > 0 ? ordered.Skip(options.Skip) : ordered).Take(take + 1), options, cancellationToken));
        }

        var page = new List<T>(take + 1);
        foreach (var segment in KeysetSeek.Segments<T>(order, SkipToken.Read(token, order, options.Identity)))
        {
            var wanted = take + 1 - page.Count;
            page.AddRange(await Translated(() => Read(order.Apply(filtered.Where(segment)).Take(wanted), options, cancellationToken)));
            if (page.Count > take)
            {
                break;
            }
        }

        return page;
    }

    /// <summary>The rows of <paramref name="query"/>, with the values of $compute read next to each run when there are any.</summary>
    private static Task<List<T>> Read<T>(IQueryable<T> query, RunQueryOptions options, CancellationToken cancellationToken)
        where T : Run => options.Computed is { } computed ? computed.ReadAsync(query, cancellationToken) : query.ToListAsync(cancellationToken);

    private static async Task<TResult> Translated<TResult>(Func<Task<TResult>> query)
    {
        try
        {
            return await query();
        }
        catch (Exception exception) when (exception is ArithmeticException || exception.InnerException is ArithmeticException || IsArithmeticError(exception))
        {
            // EF Core evaluates constant sub-expressions in .NET before sending SQL: '1 div 0' throws there; SQL Server
            // raises the same per row (divide by zero, overflow, a date past 9999).
            throw ApiException.BadRequest("invalidQueryOption",
                "$filter has arithmetic that cannot be evaluated (a division or modulo by zero, an overflow, or a date-time outside years 1-9999). Fix the expression.", "$filter");
        }
        catch (SqliteException exception) when (exception.Message.Contains(SqliteODataFunctions.PatternTimedOut, StringComparison.Ordinal))
        {
            throw ApiException.BadRequest("queryTooExpensive",
                $"$filter has a matchesPattern regular expression that took longer than {ODataFunctions.PatternTimeout.TotalMilliseconds} ms on one run. Simplify the pattern (avoid nested repetition such as (a+)+).",
                "$filter");
        }
        catch (InvalidOperationException exception) when (exception.Message.Contains("could not be translated", StringComparison.Ordinal))
        {
            throw QueryNotImplemented.For("an expression the database cannot evaluate", NotEvaluated);
        }
    }

    /// <summary>
    /// Arithmetic that fails on a row: SQL Server's 8134 divide by zero, 8115/220/232 overflow, 517/535 date arithmetic
    /// past the range; SQLite's registered odata_add_ticks past the years 1-9999.
    /// </summary>
    private static bool IsArithmeticError(Exception exception) =>
        exception is SqlException { Number: 8134 or 8115 or 220 or 232 or 517 or 535 }
        || (exception is SqliteException sqlite && sqlite.Message.Contains(ODataFunctions.OutOfRange, StringComparison.Ordinal));

    /// <summary>The request's own URL with the cursor in $skiptoken (replacing $skip) and what is left of $top.</summary>
    private static Uri NextLink(HttpRequest request, string skipToken, int? top)
    {
        var query = new StringBuilder();
        foreach (var (key, values) in request.Query)
        {
            if (key.TrimStart('$') is var name
                && (name.Equals("skip", StringComparison.OrdinalIgnoreCase) || name.Equals("top", StringComparison.OrdinalIgnoreCase) || name.Equals("skiptoken", StringComparison.OrdinalIgnoreCase)))
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
            Append(query, "$top", remaining.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Append(query, SkipToken.Option, skipToken);
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
