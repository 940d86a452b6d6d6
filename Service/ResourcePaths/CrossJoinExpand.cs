using System.Text.RegularExpressions;
using IndustryData.OData.Model.Edm;
using IndustryData.OData.Model.Runs;
using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Querying;
using IndustryData.OData.Service.Runs;

namespace IndustryData.OData.Service.ResourcePaths;

/// <summary>
/// $expand of $crossjoin(runs) (OData URL Conventions §4.15): each row has one navigation property per joined set,
/// runs. <c>runs</c> or <c>*</c> (with $levels too: a run has nothing further to expand) writes the run inline,
/// <c>runs/$ref</c> or <c>*/$ref</c> its entity reference, <c>runs/{derived type}</c> only the runs of that type (the
/// others keep their navigation link); <c>runs($select=…)</c> chooses the properties. A named item wins over the star.
/// </summary>
internal sealed partial record CrossJoinExpand(CrossJoinExpand.Form Shape, string? Cast, string? Select)
{
    public enum Form
    {
        Link,
        Inline,
        Reference,
    }

    public static readonly CrossJoinExpand None = new(Form.Link, null, null);

    /// <summary>Whether the run of a row is written as <see cref="Shape"/> (or only as a navigation link).</summary>
    public bool Applies(Run run) => Cast is null or IndustryDataEdm.RunTypeName || RunTypeNames.Of(run) == Cast;

    public static CrossJoinExpand Parse(string expand)
    {
        CrossJoinExpand? star = null, named = null;
        foreach (var item in ExpandOption.Items(expand).Select(item => item.Trim()))
        {
            var match = Item().Match(item);
            if (!match.Success)
            {
                throw ApiException.BadRequest("invalidExpand",
                    $"$expand of $crossjoin(runs) names the joined entity set: $expand=runs, runs/$ref, runs($select=displayName,status) or *. '{item}' is not that.", ExpandOption.Option);
            }

            var parsed = Of(match);
            if (match.Groups["star"].Success)
            {
                star = star is null ? parsed : throw Twice("*");
            }
            else
            {
                named = named is null ? parsed : throw Twice("runs");
            }
        }

        return named ?? star ?? None;
    }

    private static CrossJoinExpand Of(Match match)
    {
        var shape = match.Groups["ref"].Success ? Form.Reference : Form.Inline;
        var cast = match.Groups["cast"].Success ? match.Groups["cast"].Value : null;
        if (cast is not null && cast is not IndustryDataEdm.RunTypeName and not IndustryDataEdm.OutgoingFlowRunTypeName and not IndustryDataEdm.IncomingFlowRunTypeName)
        {
            throw ApiException.BadRequest("invalidExpand",
                $"$expand casts runs to {cast}, which is not a run type. Cast to {IndustryDataEdm.OutgoingFlowRunTypeName} or {IndustryDataEdm.IncomingFlowRunTypeName}.", ExpandOption.Option);
        }

        if (!match.Groups["options"].Success)
        {
            return new(shape, cast, null);
        }

        var option = match.Groups["options"].Value;
        if (match.Groups["star"].Success)
        {
            return Levels().IsMatch(option) ? new(shape, null, null)
                : throw ApiException.BadRequest("invalidExpand", "After * in $expand come only /$ref or ($levels=n), e.g. $expand=*($levels=2). To choose properties, use $expand=runs($select=…).", ExpandOption.Option);
        }

        var select = SelectOption().Match(option);
        return select.Success
            ? new(shape, cast, select.Groups["list"].Value)
            : throw QueryNotImplemented.For($"the nested option '{option}' in $expand of $crossjoin(runs)", "Nest only $select (e.g. $expand=runs($select=status)), and filter with $filter=runs/…", ExpandOption.Option);
    }

    private static ApiException Twice(string item) => ApiException.BadRequest("invalidExpand",
        $"$expand of $crossjoin(runs) lists {item} twice; a path may appear in one expand item only.", ExpandOption.Option);

    [GeneratedRegex(@"^(?:(?<star>\*)(?:(?<ref>/\$ref)|\((?<options>.*)\))?|runs(?:/(?<cast>[A-Za-z_.]+))?(?:(?<ref>/\$ref)|\((?<options>.*)\))?)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Item();

    [GeneratedRegex(@"^\$?levels=(?:[1-9][0-9]*|max)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Levels();

    [GeneratedRegex(@"^\$?select=(?<list>[^;]+)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SelectOption();
}
