namespace ProxyLayer.Protocol;

/// <summary>
/// Client/server capability flags. The low 32 bits are MySQL's; bits 32–63 are MariaDB's extended capabilities, which
/// travel in otherwise reserved bytes of the handshake when the client does not set <see cref="LongPassword"/>
/// (MariaDB calls bit 0 CLIENT_MYSQL). See https://mariadb.com/kb/en/connection/#capabilities.
/// </summary>
[Flags]
#pragma warning disable CA1711 // "Flags" is the protocol's own name for these
public enum CapabilityFlags : ulong
#pragma warning restore CA1711
{
    None = 0,
    LongPassword = 1,
    FoundRows = 1 << 1,
    LongFlag = 1 << 2,
    ConnectWithDb = 1 << 3,
    NoSchema = 1 << 4,
    Compress = 1 << 5,
    Odbc = 1 << 6,
    LocalFiles = 1 << 7,
    IgnoreSpace = 1 << 8,
    Protocol41 = 1 << 9,
    Interactive = 1 << 10,
    Ssl = 1 << 11,
    IgnoreSigpipe = 1 << 12,
    Transactions = 1 << 13,
    Reserved = 1 << 14,
    SecureConnection = 1 << 15,
    MultiStatements = 1 << 16,
    MultiResults = 1 << 17,
    PsMultiResults = 1 << 18,
    PluginAuth = 1 << 19,
    ConnectAttrs = 1 << 20,
    PluginAuthLenencClientData = 1 << 21,
    CanHandleExpiredPasswords = 1 << 22,
    SessionTrack = 1 << 23,
    DeprecateEof = 1 << 24,
    OptionalResultsetMetadata = 1 << 25,
    ZstdCompression = 1 << 26,
    QueryAttributes = 1 << 27,
    MultiFactorAuthentication = 1 << 28,
    CapabilityExtension = 1 << 29,
    SslVerifyServerCert = 1 << 30,
    RememberOptions = 1u << 31,

    MariaDbProgress = 1ul << 32,
    MariaDbComMulti = 1ul << 33,
    MariaDbStmtBulkOperations = 1ul << 34,
    MariaDbExtendedTypeInfo = 1ul << 35,
    MariaDbCacheMetadata = 1ul << 36,
    MariaDbBulkUnitResults = 1ul << 37,
}
