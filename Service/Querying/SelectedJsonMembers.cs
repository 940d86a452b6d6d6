using System.Text.Json;
using IndustryData.OData.Model.Runs;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// <c>$select=statistics/perEntity/students</c>: members nested inside a dynamic member of the open statistics (URL
/// Conventions §5.1.3). The stock serializer writes a selected dynamic member whole and fails on a path that goes
/// deeper, so the clause it gets stops at the top-level member (<see cref="Clause"/>) and each run's copy of that member
/// is cut down here to the members the paths name (<see cref="Apply"/>). A named member a run does not have is left
/// out; a member that holds no object has none of the selected members, so it is left out too.
/// </summary>
public sealed class SelectedJsonMembers
{
    private const string Statistics = "statistics";

    /// <summary>The members of statistics the paths select, each whole or cut down further.</summary>
    private readonly Selection statistics = new();

    private SelectedJsonMembers(SelectExpandClause? clause) => Clause = Trimmed(clause, inStatistics: false);

    /// <summary>The $select clause with paths into statistics cut after their first dynamic member.</summary>
    public SelectExpandClause? Clause { get; }

    public static SelectedJsonMembers Of(SelectExpandClause? clause) => new(clause);

    /// <summary>Cuts each run's selected statistics members down to the nested members the paths name (output copies, never saved).</summary>
    public void Apply(IEnumerable<Run> runs)
    {
        if (!statistics.CutsAnything)
        {
            return;
        }

        foreach (var run in runs)
        {
            statistics.CutMembers(run.Statistics.OpenMembers);
        }
    }

    private SelectExpandClause? Trimmed(SelectExpandClause? clause, bool inStatistics)
    {
        if (clause is null)
        {
            return null;
        }

        var changed = false;
        var items = new List<SelectItem>();
        foreach (var item in clause.SelectedItems)
        {
            var trimmed = item is PathSelectItem path ? Trimmed(path, inStatistics) : item;
            changed |= !ReferenceEquals(trimmed, item);
            items.Add(trimmed);
        }

        return changed ? new SelectExpandClause(items, clause.AllSelected) : clause;
    }

    private PathSelectItem Trimmed(PathSelectItem item, bool inStatistics)
    {
        var segments = item.SelectedPath.ToList();
        var start = inStatistics ? 0 : segments.FindIndex(segment => segment is PropertySegment { Property.Name: Statistics }) + 1;
        if (!inStatistics && start == 0)
        {
            return item;
        }

        if (start == segments.Count)
        {
            // statistics($select=a/b): the nested clause is read as paths inside statistics.
            var nested = Trimmed(item.SelectAndExpand, inStatistics: true);
            return ReferenceEquals(nested, item.SelectAndExpand) ? item : new PathSelectItem(item.SelectedPath, item.NavigationSource, nested,
                item.FilterOption, item.OrderByOption, item.TopOption, item.SkipOption, item.CountOption, item.SearchOption, item.ComputeOption);
        }

        var names = segments.Skip(start).OfType<DynamicPathSegment>().Select(segment => segment.Identifier).ToList();
        if (names.Count == 0 || names.Count != segments.Count - start)
        {
            return item;
        }

        statistics.Add(names);
        return names.Count == 1 ? item : new PathSelectItem(new ODataSelectPath(segments.Take(start + 1)));
    }

    /// <summary>The members selected inside one JSON object, each whole (null) or cut down further.</summary>
    private sealed class Selection
    {
        private readonly Dictionary<string, Selection?> inner = new(StringComparer.Ordinal);

        public void Add(IReadOnlyList<string> path)
        {
            var name = path[0];
            var exists = inner.TryGetValue(name, out var selection);
            if (path.Count == 1 || (exists && selection is null))
            {
                inner[name] = null;
                return;
            }

            selection ??= new Selection();
            selection.Add(path.Skip(1).ToList());
            inner[name] = selection;
        }

        public bool CutsAnything => inner.Values.Any(selection => selection is not null);

        /// <summary>Cuts the selected members of <paramref name="members"/> that are selected only in part (the others are written whole).</summary>
        public void CutMembers(IDictionary<string, JsonElement> members)
        {
            foreach (var (name, selection) in inner)
            {
                if (selection is not null && members.TryGetValue(name, out var value))
                {
                    if (selection.Cut(value) is { } cut)
                    {
                        members[name] = cut;
                    }
                    else
                    {
                        members.Remove(name);
                    }
                }
            }
        }

        /// <summary>The object with only the selected members, or null when <paramref name="value"/> is not an object.</summary>
        private JsonElement? Cut(JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var members = value.EnumerateObject().Where(member => inner.ContainsKey(member.Name)).ToDictionary(member => member.Name, member => member.Value, StringComparer.Ordinal);
            CutMembers(members);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                foreach (var (name, member) in members)
                {
                    writer.WritePropertyName(name);
                    member.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            return JsonElement.Parse(buffer.ToArray());
        }
    }
}
