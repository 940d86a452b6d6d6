using System.Net;

namespace IndustryData.OData.Service.Subscriptions.Outbound;

/// <summary>
/// What a URL the service will call must look like, checked without resolving anything (when a subscription is
/// created, and again before each call). The addresses a host name resolves to are checked when connecting.
/// </summary>
public static class OutboundUrlRules
{
    /// <summary>Null when <paramref name="url"/> may be called; otherwise a sentence about notificationUrl saying what
    /// is wrong and how to fix it.</summary>
    public static string? Refusal(Uri url, OutboundOptions options) => Refusal(url, options, "notificationUrl");

    /// <summary>As <see cref="Refusal(Uri, OutboundOptions)"/>, with <paramref name="name"/> (such as
    /// "lifecycleNotificationUrl") as the subject of the sentence.</summary>
    public static string? Refusal(Uri url, OutboundOptions options, string name)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);

        if (!url.IsAbsoluteUri)
            return $"{name} must be an absolute URL, such as https://receiver.example.com/notifications.";

        var loopbackHost = IsLoopbackHost(url);
        if (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && loopbackHost && options.AllowLoopback))
        {
            return options.AllowLoopback
                ? $"{name} must use https; http is accepted only for loopback receivers (localhost, 127.0.0.1 or [::1])."
                : $"{name} must use https; http is accepted only for loopback receivers in Development.";
        }

        if (url.Host.Length == 0)
            return $"{name} must name the receiver's host, such as https://receiver.example.com/notifications.";

        if (url.UserInfo.Length > 0)
            return $"{name} must not contain a user name or password; the service sends no credentials to receivers. Authenticate notifications with clientState instead.";

        if (url.Fragment.Length > 0 || url.OriginalString.Contains('#', StringComparison.Ordinal))
            return $"{name} must not contain a fragment (#…); it is never sent to the receiver.";

        return url.HostNameType switch
        {
            UriHostNameType.IPv4 or UriHostNameType.IPv6 => AddressRefusal(url, options, name),
            UriHostNameType.Dns => NameRefusal(url, options, name),
            _ => $"{name} must name its host as a DNS name or an IP address.",
        };
    }

    /// <summary>A literal 127.0.0.0/8 or ::1 address, or the name localhost.</summary>
    internal static bool IsLoopbackHost(Uri url) =>
        url.HostNameType switch
        {
            UriHostNameType.IPv4 or UriHostNameType.IPv6 =>
                IPAddress.TryParse(url.IdnHost, out var address) && AddressClassifier.Classify(address) == AddressClass.Loopback,
            UriHostNameType.Dns => string.Equals(url.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };

    private static string? AddressRefusal(Uri url, OutboundOptions options, string name)
    {
        // Uri accepts IPv4 hosts written as one number or in octal or hex (http://2130706433/ is 127.0.0.1) and shows
        // them normalised; a URL that needs such a disguise is refused rather than trusted.
        if (url.HostNameType == UriHostNameType.IPv4 && !string.Equals(WrittenHost(url), url.Host, StringComparison.OrdinalIgnoreCase))
            return $"{name} must write an IPv4 host in dotted-decimal form (a.b.c.d), or better, use the receiver's DNS name.";

        if (!IPAddress.TryParse(url.IdnHost, out var address))
            return $"{name} has a host that is not a valid IP address.";

        var addressClass = AddressClassifier.Classify(address);
        if (AddressClassifier.IsAllowed(addressClass, options))
            return null;
        return addressClass == AddressClass.Loopback
            ? $"{name} must not point at this machine (a loopback address) outside Development; use the receiver's public https URL."
            : $"{name} must point at a public receiver; {Describe(addressClass)} are not called.";
    }

    private static string? NameRefusal(Uri url, OutboundOptions options, string name)
    {
        // A last label that is a number makes resolvers read the whole name as an IPv4 address ("0x7f.1" is
        // 127.0.0.1 to inet_aton); the WHATWG URL standard reads it so too. No real DNS name ends in a number.
        var labels = url.IdnHost.TrimEnd('.').Split('.');
        if (IsNumeric(labels[^1]))
            return $"{name} must write an IPv4 host in dotted-decimal form (a.b.c.d), or better, use the receiver's DNS name.";

        if (!options.AllowLoopback && (IsLoopbackHost(url) || url.IdnHost.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)))
            return $"{name} must not point at this machine (localhost) outside Development; use the receiver's public https URL.";
        return null;
    }

    /// <summary>The host as the caller wrote it (Uri.Host is normalised).</summary>
    private static string WrittenHost(Uri url)
    {
        var text = url.OriginalString.Trim();
        var start = text.IndexOf("//", StringComparison.Ordinal);
        var authority = start < 0 ? text : text[(start + 2)..];
        var end = authority.IndexOfAny(['/', '\\', '?', '#']);
        if (end >= 0)
            authority = authority[..end];
        authority = authority[(authority.LastIndexOf('@') + 1)..];
        var colon = authority.LastIndexOf(':');
        return colon >= 0 && !authority.EndsWith(']') ? authority[..colon] : authority;
    }

    private static bool IsNumeric(string label) =>
        label.Length > 0 && (label.All(char.IsAsciiDigit)
            || (label.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && label[2..].All(char.IsAsciiHexDigit)));

    internal static string Describe(AddressClass addressClass) => addressClass switch
    {
        AddressClass.Loopback => "loopback addresses",
        AddressClass.Private => "private network addresses",
        AddressClass.LinkLocal => "link-local addresses",
        AddressClass.CloudMetadata => "cloud metadata addresses",
        AddressClass.Unspecified => "unspecified addresses (0.0.0.0, ::)",
        AddressClass.Multicast => "multicast addresses",
        AddressClass.Reserved => "reserved and special-purpose addresses",
        _ => "public addresses",
    };
}
