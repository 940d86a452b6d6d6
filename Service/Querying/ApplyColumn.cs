namespace IndustryData.OData.Service.Querying;

/// <summary>
/// A property of the instances a $apply level outputs: a grouping path (<c>status</c>, <c>blockingError/code</c>,
/// <c>statistics/recordsSent</c>), an alias of aggregate or compute, or a hidden marker (<c>blockingError</c> is null
/// rather than without a code). <see cref="Declared"/> properties are written without a type annotation.
/// </summary>
public sealed record ApplyColumn(IReadOnlyList<string> Path, ApplyValue Value, bool Declared, bool Hidden = false, bool Key = false)
{
    public string Name => string.Join('/', Path);

    /// <summary>The marker column of a complex property that is null in the group: <c>blockingError/$null</c>.</summary>
    public static string NullMarker(string property) => property + "/$null";
}
