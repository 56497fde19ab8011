namespace ProxyLayer.Protocol;

/// <summary>Status flags carried by OK and EOF packets.</summary>
[Flags]
#pragma warning disable CA1711 // the protocol calls them status flags; "ServerStatus" is the hostgroup member status
public enum ServerStatusFlags : ushort
{
    None = 0,
    InTransaction = 1,
    Autocommit = 2,
    MoreResultsExist = 8,
    NoGoodIndexUsed = 0x10,
    NoIndexUsed = 0x20,
    CursorExists = 0x40,
    LastRowSent = 0x80,
    DatabaseDropped = 0x100,
    NoBackslashEscapes = 0x200,
    MetadataChanged = 0x400,
    QueryWasSlow = 0x800,
    PsOutParams = 0x1000,
    InTransactionReadOnly = 0x2000,
    SessionStateChanged = 0x4000,
}
