using IndustryData.OData.Service.Errors;
using IndustryData.OData.Service.Querying;

namespace IndustryData.OData.Service.Changes;

/// <summary>
/// Where a delta walk is. A <c>$deltatoken</c> says "changes after sequence S" and when it was issued; a <c>$skiptoken</c>
/// on a delta page says which phase the walk is in (every run, by id; or the changes up to a fixed mark, by sequence)
/// and where it stopped. Both are bound to the set or type cast they were made for (see <see cref="OpaqueToken"/>).
/// </summary>
public sealed record DeltaToken(DeltaPhase Phase, long Since, long UpTo, long AfterSequence, string? AfterId, DateTimeOffset IssuedAt)
{
    public const string Option = "$deltatoken";
    private const int Version = 1;

    public static DeltaToken Changes(long since, DateTimeOffset issuedAt) => new(DeltaPhase.Changes, since, -1, since, null, issuedAt);

    public string Write(Type elementType) => OpaqueToken.Create(BoundTo(elementType), writer =>
    {
        writer.WriteNumberValue(Version);
        writer.WriteNumberValue((int)Phase);
        writer.WriteNumberValue(Since);
        writer.WriteNumberValue(UpTo);
        writer.WriteNumberValue(AfterSequence);
        writer.WriteStringValue(AfterId);
        writer.WriteNumberValue(IssuedAt.ToUnixTimeMilliseconds());
    });

    /// <summary>The token, or a 400 naming <paramref name="option"/> if the service did not make it for this set.</summary>
    public static DeltaToken Read(string token, Type elementType, string option)
    {
        using var document = OpaqueToken.Read(token, BoundTo(elementType)) ?? throw Invalid(option);
        try
        {
            var items = document.RootElement;
            if (items.GetArrayLength() != 7 || items[0].GetInt32() != Version || !Enum.IsDefined((DeltaPhase)items[1].GetInt32()))
            {
                throw Invalid(option);
            }

            return new DeltaToken((DeltaPhase)items[1].GetInt32(), items[2].GetInt64(), items[3].GetInt64(), items[4].GetInt64(), items[5].GetString(),
                DateTimeOffset.FromUnixTimeMilliseconds(items[6].GetInt64()));
        }
        catch (Exception exception) when (exception is FormatException or InvalidOperationException or ArgumentOutOfRangeException)
        {
            throw Invalid(option);
        }
    }

    private static string BoundTo(Type elementType) => "delta\n" + elementType.FullName;

    private static ApiException Invalid(string option) => ApiException.BadRequest("invalidDeltaToken",
        $"{option} is not valid for this request: it was changed, cut short, or comes from delta on another set or type. "
        + "Follow @odata.nextLink and @odata.deltaLink exactly as the service returned them, or start over with GET /runs/delta().", option);
}

public enum DeltaPhase
{
    /// <summary>The first walk: every run, by id, as of the mark <see cref="DeltaToken.UpTo"/>.</summary>
    Initial = 0,

    /// <summary>Changes in (Since, UpTo], by sequence.</summary>
    Changes = 1,
}
