namespace IndustryData.OData.Service.Querying;

/// <summary>
/// One element of a JSON array or object stored in a text column, as the databases' JSON table functions return it
/// (SQLite <c>json_each</c>, SQL Server <c>OPENJSON</c>): its key (member name or array index), its value (text, or the
/// JSON text of an object or array) and, on SQL Server, its JSON type code. Only ever used inside queries
/// (<see cref="JsonMemberAccess.Elements"/>); never materialised.
/// </summary>
public sealed class JsonElementRow
{
    public string Key { get; set; } = string.Empty;

    public string? Value { get; set; }

    /// <summary>OPENJSON's type: 0 null, 1 string, 2 number, 3 true/false, 4 array, 5 object (SQL Server only).</summary>
    public int? Type { get; set; }
}
