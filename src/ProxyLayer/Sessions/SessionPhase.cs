namespace ProxyLayer.Sessions;

/// <summary>Where a client session is; shown in logs and the process list, and checked on transitions.</summary>
internal enum SessionPhase
{
    Handshaking,
    Idle,
    ReadingCommand,
    AcquiringBackend,
    Forwarding,
    Relaying,
    RelayingLocalInfile,
    /// <summary>A fast_forward session: bytes relayed both ways, nothing parsed.</summary>
    FastForwarding,
    Closing,
    Closed,
}
