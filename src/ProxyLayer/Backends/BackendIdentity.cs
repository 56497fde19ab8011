using ProxyLayer.Protocol;

namespace ProxyLayer.Backends;

/// <summary>
/// What a backend server's greeting said about it: the version string, and the capabilities when the proxy read the
/// greeting itself (its own backend connections). The monitor logs in through MySqlConnector and learns only the
/// version; <see cref="Capabilities"/> is null then. Made once per change, so what is derived is computed here.
/// </summary>
internal sealed class BackendIdentity
{
    /// <summary>MariaDB's MARIADB_CLIENT_EXTENDED_METADATA first shipped in 10.5.2.</summary>
    private static readonly Version ExtendedTypeInfoSince = new(10, 5, 2);

    private const ulong MariaDbBits = 0xFFFF_FFFF_0000_0000;

    public BackendIdentity(string version, CapabilityFlags? capabilities)
    {
        Version = version;
        Capabilities = capabilities;
        // MariaDB leaves CLIENT_MYSQL (bit 0) unset to say it speaks its extended capabilities; its version string
        // names it too ("5.5.5-10.11.6-MariaDB…" before 11.0, "11.4.2-MariaDB…" since).
        IsMariaDb = capabilities is { } known
            ? (known & CapabilityFlags.LongPassword) == 0
            : version.Contains("MariaDB", StringComparison.Ordinal);
        if (IsMariaDb)
        {
            MariaDbCapabilities = capabilities is { } greeted ? (CapabilityFlags)((ulong)greeted & MariaDbBits)
                : MariaDbRelease(version) >= ExtendedTypeInfoSince ? CapabilityFlags.MariaDbExtendedTypeInfo
                : CapabilityFlags.None;
        }
    }

    public string Version { get; }
    public CapabilityFlags? Capabilities { get; }
    public bool IsMariaDb { get; }

    /// <summary>
    /// MariaDB's extended capabilities of the server (bits 32–63): from its greeting or, when only the version is known,
    /// those every release from that version on has.
    /// </summary>
    public CapabilityFlags MariaDbCapabilities { get; }

    /// <summary>The release number of a MariaDB version string, without the "5.5.5-" that older releases put first.</summary>
    internal static Version? MariaDbRelease(string version)
    {
        var text = version.StartsWith("5.5.5-", StringComparison.Ordinal) ? version.AsSpan(6) : version.AsSpan();
        var end = 0;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.'))
            end++;
        return System.Version.TryParse(text[..end], out var release) ? release : null;
    }
}
