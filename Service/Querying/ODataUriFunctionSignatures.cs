using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace IndustryData.OData.Service.Querying;

/// <summary>
/// Canonical function overloads the OData URI parser (ODL 8) does not know: matchesPattern with its third argument,
/// the ECMAScript flags (URL Conventions §5.1.1.7.1). Registered once, process-wide, as ODL's custom functions are.
/// </summary>
public static class ODataUriFunctionSignatures
{
    private static readonly Lazy<bool> Registered = new(() =>
    {
        var text = EdmCoreModel.Instance.GetString(isNullable: true);
        var signature = new FunctionSignatureWithReturnType(EdmCoreModel.Instance.GetBoolean(isNullable: true), text, text, text);
        try
        {
            CustomUriFunctions.AddCustomUriFunction("matchesPattern", signature);
        }
        catch (ODataException)
        {
            // Already added (another host in this process registered it first).
        }

        return true;
    });

    public static void EnsureRegistered() => _ = Registered.Value;
}
