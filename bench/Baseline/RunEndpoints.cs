using System.Buffers;
using System.Globalization;

namespace IndustryData.OData.Bench.Baseline;

/// <summary>POST /runs, GET /runs (with $top, $skip and a status filter), GET /runs('id').</summary>
internal static class RunEndpoints
{
    public const int DefaultPageSize = 100;
    public const int MaxTop = 1000;
    private const string StatusFilterPrefix = "status eq '";

    public static async Task CreateAsync(HttpContext context, RunStore store)
    {
        StoredRun run;
        try
        {
            run = await RunBody.ReadAsync(context.Request, context.RequestAborted);
        }
        catch (BadRequestException exception)
        {
            await WriteErrorAsync(context, exception);
            return;
        }

        await store.InsertAsync(run, context.RequestAborted);
        var root = ServiceRoot(context.Request);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status201Created;
        response.Headers.Location = $"{root}/runs('{Uri.EscapeDataString(run.Id)}')";
        response.Headers.ETag = RunJson.ETag(run);
        await WriteJsonAsync(context, RunJson.ContentType, output => RunJson.WriteEntity(output, root, run));
    }

    public static async Task ListAsync(HttpContext context, RunStore store)
    {
        int? top;
        int skip;
        int? status;
        try
        {
            (top, skip, status) = ParseQuery(context.Request.Query);
        }
        catch (BadRequestException exception)
        {
            await WriteErrorAsync(context, exception);
            return;
        }

        // As in the service: a page of at most DefaultPageSize, one row more read to tell whether a next page is due.
        var take = Math.Min(top ?? DefaultPageSize, DefaultPageSize);
        var runs = store.List(status, skip, take + 1);
        string? nextLink = null;
        if (runs.Count > take)
        {
            runs.RemoveAt(take);
            if (top is null || top > take)
            {
                nextLink = NextLink(context.Request, top - take, skip + take);
            }
        }

        await WriteJsonAsync(context, RunJson.ContentType, output => RunJson.WriteCollection(output, ServiceRoot(context.Request), runs, nextLink));
    }

    public static async Task GetAsync(HttpContext context, string key, RunStore store)
    {
        var id = key.Length >= 2 && key[0] == '\'' && key[^1] == '\'' ? key[1..^1].Replace("''", "'", StringComparison.Ordinal) : key;
        var run = store.Find(id);
        if (run is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await WriteErrorBodyAsync(context, "notFound", $"No run has the id '{id}'.");
            return;
        }

        context.Response.Headers.ETag = RunJson.ETag(run);
        await WriteJsonAsync(context, RunJson.ContentType, output => RunJson.WriteEntity(output, ServiceRoot(context.Request), run));
    }

    private static (int? Top, int Skip, int? Status) ParseQuery(IQueryCollection query)
    {
        int? top = null;
        var skip = 0;
        int? status = null;
        foreach (var (name, values) in query)
        {
            var value = values.ToString();
            switch (name)
            {
                case "$top":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed > MaxTop)
                    {
                        throw new BadRequestException("invalidQuery", $"$top must be a whole number from 0 to {MaxTop}.");
                    }

                    top = parsed;
                    break;
                case "$skip":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out skip))
                    {
                        throw new BadRequestException("invalidQuery", "$skip must be a whole number.");
                    }

                    break;
                case "$filter":
                    status = value.StartsWith(StatusFilterPrefix, StringComparison.Ordinal) && value.EndsWith('\'')
                        ? RunStatuses.Parse(value[StatusFilterPrefix.Length..^1])
                        : null;
                    if (status is null)
                    {
                        throw new BadRequestException("queryNotSupported", "The baseline only filters with status eq '<runStatus member>'.");
                    }

                    break;
                default:
                    if (name.StartsWith('$'))
                    {
                        throw new BadRequestException("queryNotSupported", $"The baseline does not support {name}.");
                    }

                    break;
            }
        }

        return (top, skip, status);
    }

    private static string ServiceRoot(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    /// <summary>The next page: the same query with $top and $skip moved on.</summary>
    private static string NextLink(HttpRequest request, int? remaining, int skip)
    {
        var query = new System.Text.StringBuilder();
        foreach (var (name, values) in request.Query)
        {
            if (name is "$skip" or "$top")
            {
                continue;
            }

            query.Append(query.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(values.ToString()));
        }

        if (remaining is { } top)
        {
            query.Append(query.Length == 0 ? '?' : '&').Append("$top=").Append(top.ToString(CultureInfo.InvariantCulture));
        }

        query.Append(query.Length == 0 ? '?' : '&').Append("$skip=").Append(skip.ToString(CultureInfo.InvariantCulture));
        return $"{ServiceRoot(request)}{request.Path}{query}";
    }

    private static async Task WriteJsonAsync(HttpContext context, string contentType, Action<IBufferWriter<byte>> write)
    {
        var response = context.Response;
        response.ContentType = contentType;
        response.Headers["OData-Version"] = "4.0";
        write(response.BodyWriter);
        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private static Task WriteErrorAsync(HttpContext context, BadRequestException exception)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return WriteErrorBodyAsync(context, exception.Code, exception.Message);
    }

    private static async Task WriteErrorBodyAsync(HttpContext context, string code, string message)
    {
        await WriteJsonAsync(context, "application/json; charset=utf-8", output =>
        {
            using var json = new System.Text.Json.Utf8JsonWriter(output, RunJson.WriterOptions);
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteString("code", code);
            json.WriteString("message", message);
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }
}
