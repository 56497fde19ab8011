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
    Closing,
    Closed,
}
