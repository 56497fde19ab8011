using ProxyLayer.Protocol;

namespace ProxyLayer.Backends;

/// <summary>
/// What makes two backend connections interchangeable: the user, the capabilities that change the wire format the
/// client sees (result-set framing, multi-statements, local files, …) and the handshake collation. Connections are
/// relayed byte for byte, so a client only ever gets a connection negotiated exactly as its own. The
/// <see cref="Link"/> is the server row's, filled in once a server is picked: a server listed in two hostgroups with
/// different <c>use_ssl</c> or <c>compression</c> keeps the two kinds of connection apart.
/// </summary>
internal readonly record struct BackendPoolKey(string Username, CapabilityFlags Capabilities, int Collation, BackendLink Link = default)
{
    /// <summary>Capabilities whose value must match between client and backend connection for raw relay.</summary>
    public const CapabilityFlags ClientVisible =
        CapabilityFlags.FoundRows | CapabilityFlags.LocalFiles | CapabilityFlags.IgnoreSpace | CapabilityFlags.Interactive |
        CapabilityFlags.MultiStatements | CapabilityFlags.MultiResults | CapabilityFlags.PsMultiResults |
        CapabilityFlags.SessionTrack | CapabilityFlags.DeprecateEof | CapabilityFlags.MariaDbExtendedTypeInfo |
        CapabilityFlags.MariaDbStmtBulkOperations;
}
