using System.Linq.Expressions;
using IndustryData.OData.Service.Errors;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// OData's canonical functions (URL Conventions §5.1.1.5–5.1.1.11) bound to <see cref="ODataFunctions"/> calls, which
/// each provider translates to SQL with the same semantics. Names compare case-insensitively (4.01). Functions on
/// values the parser typed as something this service cannot evaluate in SQL are a 501 naming them.
/// </summary>
public sealed class CanonicalFunctionBinder(Func<QueryNode, Expression> bind, DurationArithmetic durations)
{

    /// <summary>Date and time parts that OData says fail for a literal not stated in UTC when the service normalises to UTC.</summary>
    private static readonly string[] ZoneDependent = ["year", "month", "day", "hour", "minute", "date", "time"];

    public Expression Bind(SingleValueFunctionCallNode node)
    {
        var name = node.Name.ToLowerInvariant();
        var arguments = node.Parameters.OfType<SingleValueNode>().ToList();
        if (arguments.Count != node.Parameters.Count())
        {
            throw QueryNotImplemented.For($"the function {node.Name} on a collection", "Canonical functions apply to single values here");
        }

        if (ZoneDependent.Contains(name) && arguments is [var literal] && LiteralValues.IsLiteral(literal)
            && LiteralValues.ValueOf(literal) is DateTimeOffset { Offset: var offset } && offset != TimeSpan.Zero)
        {
            throw ApiException.BadRequest("invalidQueryOption",
                $"$filter applies {node.Name} to a date-time literal with offset {offset:hh\\:mm}; this service stores date-times in UTC, so OData requires literals given to {node.Name} to be in UTC. Write it with Z, e.g. 2026-01-02T03:04:05Z.",
                "$filter");
        }

        return name switch
        {
            "contains" => Call(nameof(ODataFunctions.Contains), Text(arguments[0]), Text(arguments[1])),
            "startswith" => Call(nameof(ODataFunctions.StartsWith), Text(arguments[0]), Text(arguments[1])),
            "endswith" => Call(nameof(ODataFunctions.EndsWith), Text(arguments[0]), Text(arguments[1])),
            "length" => Call(nameof(ODataFunctions.Length), Text(arguments[0])),
            "indexof" => Call(nameof(ODataFunctions.IndexOf), Text(arguments[0]), Text(arguments[1])),
            "substring" => Substring(arguments),
            "tolower" => Call(nameof(ODataFunctions.ToLower), Text(arguments[0])),
            "toupper" => Call(nameof(ODataFunctions.ToUpper), Text(arguments[0])),
            "trim" => Call(nameof(ODataFunctions.Trim), Text(arguments[0])),
            "concat" => Call(nameof(ODataFunctions.Concat), Text(arguments[0]), Text(arguments[1])),
            "matchespattern" => MatchesPattern(arguments),
            "year" => DatePart(nameof(ODataFunctions.Year), arguments[0]),
            "month" => DatePart(nameof(ODataFunctions.Month), arguments[0]),
            "day" => DatePart(nameof(ODataFunctions.Day), arguments[0]),
            "hour" => TimePart(nameof(ODataFunctions.Hour), arguments[0]),
            "minute" => TimePart(nameof(ODataFunctions.Minute), arguments[0]),
            "second" => TimePart(nameof(ODataFunctions.Second), arguments[0]),
            "fractionalseconds" => TimePart(nameof(ODataFunctions.FractionalSeconds), arguments[0]),
            "date" => Call(nameof(ODataFunctions.Date), DateTime(arguments[0], name)),
            "time" => Call(nameof(ODataFunctions.Time), DateTime(arguments[0], name)),
            "totaloffsetminutes" => Call(nameof(ODataFunctions.TotalOffsetMinutes), DateTime(arguments[0], name)),
            "totalseconds" => Call(nameof(ODataFunctions.TotalSeconds), durations.TicksOf(arguments[0])),
            "now" => QueryParameter.Of(typeof(DateTimeOffset), DateTimeOffset.UtcNow),
            "mindatetime" => QueryParameter.Of(typeof(DateTimeOffset), DateTimeOffset.MinValue),
            "maxdatetime" => QueryParameter.Of(typeof(DateTimeOffset), DateTimeOffset.MaxValue),
            "round" => Rounding(nameof(ODataFunctions.Round), arguments[0]),
            "floor" => Rounding(nameof(ODataFunctions.Floor), arguments[0]),
            "ceiling" => Rounding(nameof(ODataFunctions.Ceiling), arguments[0]),
            "cast" => PrimitiveCast.Bind(node, arguments, bind),
            "isof" => PrimitiveCast.BindIsOf(node, arguments, bind),
            _ => throw QueryNotImplemented.For($"the function {node.Name}", Alternatives),
        };
    }

    private const string Alternatives = "Supported: contains, startswith, endswith, length, indexof, substring, tolower, toupper, trim, concat, matchesPattern, year, month, day, hour, minute, second, fractionalseconds, date, time, totaloffsetminutes, totalseconds, now, mindatetime, maxdatetime, round, floor, ceiling, cast, isof";

    private Expression Substring(List<SingleValueNode> arguments)
    {
        if (arguments.Count == 3 && LiteralValues.IsLiteral(arguments[2]) && LiteralValues.ValueOf(arguments[2]) is int and < 0)
        {
            throw ApiException.BadRequest("invalidQueryOption", "$filter calls substring with a negative length; OData makes that a bad request. Give a length of 0 or more.", "$filter");
        }

        return arguments.Count == 2
            ? Call(nameof(ODataFunctions.Substring), Text(arguments[0]), Integer(arguments[1]))
            : Call(nameof(ODataFunctions.Substring), Text(arguments[0]), Integer(arguments[1]), Integer(arguments[2]));
    }

    /// <summary>The pattern and flags must be literals: they are checked here (a bad one is a 400) and compiled once.</summary>
    private Expression MatchesPattern(List<SingleValueNode> arguments)
    {
        if (!arguments.Skip(1).All(LiteralValues.IsLiteral))
        {
            throw QueryNotImplemented.For("matchesPattern with a pattern or flags computed per run", "Give the pattern and flags as string literals (or aliases of literals)");
        }

        var pattern = LiteralValues.ValueOf(arguments[1]) as string;
        var flags = arguments.Count == 3 ? LiteralValues.ValueOf(arguments[2]) as string : string.Empty;
        var unknownFlag = flags?.FirstOrDefault(flag => !"dgimsuvy".Contains(flag, StringComparison.Ordinal)) ?? '\0';
        if (unknownFlag != '\0')
        {
            throw ApiException.BadRequest("invalidQueryOption", $"$filter has an invalid regular expression in matchesPattern: '{unknownFlag}' is not an ECMAScript flag (d, g, i, m, s, u, v, y).", "$filter");
        }

        if (pattern is not null && flags is not null)
        {
            try
            {
                ODataFunctions.Pattern(pattern, flags);
            }
            catch (ArgumentException exception) when (flags.Any(flag => "dsuvy".Contains(flag, StringComparison.Ordinal)) || IsDotNetPattern(pattern))
            {
                // Valid ECMAScript this engine does not run: the flags d, s, u, v, y, or syntax .NET's ECMAScript mode lacks.
                throw QueryNotImplemented.For($"matchesPattern with '{pattern}' and flags '{flags}'",
                    $"{exception.Message} Supported: ECMAScript syntax without lookbehind or Unicode property escapes, with the flags i, m and g");
            }
            catch (ArgumentException exception)
            {
                throw ApiException.BadRequest("invalidQueryOption", $"$filter has an invalid regular expression in matchesPattern: {exception.Message}", "$filter");
            }
        }

        var match = arguments.Count == 3
            ? Call(nameof(ODataFunctions.MatchesPattern), Text(arguments[0]), Text(arguments[1]), Text(arguments[2]))
            : Call(nameof(ODataFunctions.MatchesPattern), Text(arguments[0]), Text(arguments[1]));

        return Condition(match);
    }

    /// <summary>Whether .NET's own dialect reads the pattern (so it is likely valid ECMAScript the ECMAScript mode rejects).</summary>
    private static bool IsDotNetPattern(string pattern)
    {
        try
        {
            _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, ODataFunctions.PatternTimeout);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>year/month/day of a date-time; of date(x) they are those of x, of a Date literal they are computed here.</summary>
    private Expression DatePart(string function, SingleValueNode argument)
    {
        if (argument is SingleValueFunctionCallNode { Parameters: var inner } call && call.Name.Equals("date", StringComparison.OrdinalIgnoreCase) && inner.Single() is SingleValueNode source)
        {
            argument = source;
        }
        else if (LiteralValues.IsLiteral(argument) && LiteralValues.MidnightUtc(LiteralValues.ValueOf(argument)) is { } midnight)
        {
            return Call(function, Expression.Constant(midnight, typeof(DateTimeOffset?)));
        }

        return Call(function, DateTime(argument, function.ToLowerInvariant()));
    }

    /// <summary>hour/minute/second/fractionalseconds of a date-time; of time(x) they are those of x, of a TimeOfDay literal computed here.</summary>
    private Expression TimePart(string function, SingleValueNode argument)
    {
        if (argument is SingleValueFunctionCallNode { Parameters: var inner } call && call.Name.Equals("time", StringComparison.OrdinalIgnoreCase) && inner.Single() is SingleValueNode source)
        {
            argument = source;
        }
#pragma warning disable CS0618 // ODL 8 still parses Edm.TimeOfDay literals into this type.
        else if (LiteralValues.IsLiteral(argument) && LiteralValues.ValueOf(argument) is Microsoft.OData.Edm.TimeOfDay time)
#pragma warning restore CS0618
        {
            return Call(function, Expression.Constant(new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(time.Ticks), typeof(DateTimeOffset?)));
        }

        return Call(function, DateTime(argument, function.ToLowerInvariant()));
    }

    private Expression DateTime(SingleValueNode argument, string function) =>
        IsNull(argument) ? Expression.Constant(null, typeof(DateTimeOffset?))
        : DurationArithmetic.IsDateTimeOffset(argument)
            ? durations.DateTimeOf(argument)
            : throw QueryNotImplemented.For($"{function} on a {argument.TypeReference?.FullName() ?? "null"} value", "Apply it to startDateTime, endDateTime or a date-time literal");

    private static bool IsNull(SingleValueNode argument) => LiteralValues.IsLiteral(argument) && LiteralValues.ValueOf(argument) is null;

    private Expression Rounding(string function, SingleValueNode argument)
    {
        var value = IsNull(argument) ? Expression.Constant(null, typeof(decimal?)) : bind(argument);
        var type = Nullable.GetUnderlyingType(value.Type) ?? value.Type;
        var target = type == typeof(double) || type == typeof(float) ? typeof(double?) : typeof(decimal?);
        return Call(function, Expression.Convert(value, target));
    }

    private Expression Text(SingleValueNode argument)
    {
        var value = IsNull(argument) ? Expression.Constant(null, typeof(string)) : bind(argument);
        return value.Type == typeof(string) ? value
            : throw QueryNotImplemented.For($"a string function on a {argument.TypeReference?.FullName() ?? "null"} value", "Apply string functions to displayName, id or string literals");
    }

    private Expression Integer(SingleValueNode argument)
    {
        var value = IsNull(argument) ? Expression.Constant(null, typeof(int?)) : bind(argument);
        return value.Type == typeof(int?) ? value : Expression.Convert(value, typeof(int?));
    }

    /// <summary>A Boolean function as a condition: true only when it is true (null is not), a plain bool for and/or/not.</summary>
    private static Expression Condition(Expression test) => Expression.Equal(test, Expression.Constant(true, typeof(bool?)));

    private static MethodCallExpression Call(string name, params Expression[] arguments) =>
        Expression.Call(typeof(ODataFunctions).GetMethod(name, [.. arguments.Select(argument => argument.Type)])!, arguments);
}
