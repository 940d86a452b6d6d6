using IndustryData.OData.Service.Runs;

namespace IndustryData.OData.Service.Protocol;

public static class KestrelLimits
{
    /// <summary>Server-level ceilings; the per-request rules with friendly errors sit below them.</summary>
    public static IHostApplicationBuilder ConfigureKestrelLimits(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 4 * RequestBody.MaxBytes;
            kestrel.Limits.MaxRequestLineSize = 2 * RequestLimits.MaxUrlLength;
        });
        return builder;
    }
}
