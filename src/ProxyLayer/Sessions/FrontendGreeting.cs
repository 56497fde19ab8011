using ProxyLayer.Backends;
using ProxyLayer.Config;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Sessions;

/// <summary>
/// What the proxy's greeting tells a client about the server: a version string and the capabilities offered.
/// </summary>
/// <remarks>
/// Clients act on both. The mariadb client shows a MariaDB banner and prompt, and mariadb-dump reads MariaDB's account
/// tables, only for a version naming MariaDB; MariaDB clients ask for MariaDB's extended capabilities (a JSON column's
/// format, …) only when the greeting leaves CLIENT_MYSQL unset and offers them. So, unless <c>mysql-server_version</c>
/// is set (ProxySQL's rule: that value is announced), the greeting repeats the backends' own version and MariaDB
/// capabilities, as the proxy last saw them; before any backend was reached it says ProxySQL's default 8.0.11. The
/// capabilities follow the backends either way: they describe the wire format, which the proxy relays unchanged.
/// </remarks>
internal readonly record struct FrontendGreeting(string Version, CapabilityFlags Capabilities)
{
    /// <summary>ProxySQL's <c>mysql-server_version</c> default, announced while no backend version is known.</summary>
    public const string DefaultVersion = "8.0.11";

    /// <summary>
    /// Capabilities offered to every client. Each of them is also asked of backends, so relay stays byte-exact.
    /// CLIENT_MYSQL (<see cref="CapabilityFlags.LongPassword"/>) is dropped in front of MariaDB, as MariaDB does.
    /// </summary>
    public const CapabilityFlags Base =
        CapabilityFlags.LongPassword | CapabilityFlags.FoundRows | CapabilityFlags.LongFlag | CapabilityFlags.ConnectWithDb |
        CapabilityFlags.LocalFiles | CapabilityFlags.IgnoreSpace | CapabilityFlags.Protocol41 | CapabilityFlags.Interactive |
        CapabilityFlags.IgnoreSigpipe | CapabilityFlags.Transactions | CapabilityFlags.SecureConnection |
        CapabilityFlags.MultiStatements | CapabilityFlags.MultiResults | CapabilityFlags.PsMultiResults |
        CapabilityFlags.PluginAuth | CapabilityFlags.ConnectAttrs | CapabilityFlags.PluginAuthLenencClientData |
        CapabilityFlags.SessionTrack | CapabilityFlags.DeprecateEof;

    /// <summary>
    /// The MariaDB capabilities passed through when the backends have them. Only extended type info: it changes column
    /// definitions, which are relayed as they are. The others need commands or packets the proxy does not handle
    /// (COM_STMT_BULK_EXECUTE, COM_MULTI, progress reports) or would let a client skip metadata the proxy must see when
    /// it prepares statements again on another connection (cached metadata).
    /// </summary>
    public const CapabilityFlags PassedMariaDb = CapabilityFlags.MariaDbExtendedTypeInfo;

    /// <summary>The MySQL interface's greeting, from the settings and the last backend greeting seen (null: none yet).</summary>
    public static FrontendGreeting ForClients(MySqlVariables settings, BackendIdentity? backends)
    {
        var capabilities = Base;
        if (backends is { IsMariaDb: true })
            capabilities = (capabilities & ~CapabilityFlags.LongPassword) | (backends.MariaDbCapabilities & PassedMariaDb);
        // ProxySQL's mysql-have_compress: CLIENT_COMPRESS is offered, and the link is compressed once the login is done.
        if (settings.HaveCompress && CompressedPacketFramer.IsSupported)
            capabilities |= CapabilityFlags.Compress;
        var version = settings.ServerVersion.Length > 0 ? settings.ServerVersion : backends?.Version ?? DefaultVersion;
        return new FrontendGreeting(version, capabilities);
    }

    /// <summary>The admin interface's greeting: SQLite behind it, so the configured or default version and no extras.</summary>
    public static FrontendGreeting ForAdmin(MySqlVariables settings) =>
        new(settings.ServerVersion.Length > 0 ? settings.ServerVersion : DefaultVersion, Base);
}
