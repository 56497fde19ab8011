using ProxyLayer.Protocol;

namespace ProxyLayer.Backends;

/// <summary>A backend connection could not be opened: network failure, timeout, or the server refused the login.</summary>
internal sealed class BackendConnectException : Exception
{
    public BackendConnectException() { }
    public BackendConnectException(string message) : base(message) { }
    public BackendConnectException(string message, Exception inner) : base(message, inner) { }

    public BackendConnectException(string message, MySqlError? serverError, Exception? inner = null)
        : base(message, inner) => ServerError = serverError;

    /// <summary>The server's own ERR, when it answered with one (e.g. 1045 access denied).</summary>
    public MySqlError? ServerError { get; }

    /// <summary>
    /// The server refused this login for a reason of the login's own (wrong password, unknown or forbidden database, an
    /// invalid name, a per-user limit): it does not count against the server's health (ProxySQL's rule for access
    /// denied), and it is not retried, since another try or another server would only say the same. The client gets
    /// the server's error at once. Errors about the server's state (too many connections, shutting down, host blocked)
    /// are not final: another attempt or server may succeed.
    /// </summary>
    public bool IsFinalForLogin => ServerError is { } error && !IsServerStateError(error.Code);

    private static bool IsServerStateError(int code) => code is ErrorCodes.ConnectionCountError
        or 1053 // ER_SERVER_SHUTDOWN
        or 1129 // ER_HOST_IS_BLOCKED
        or 1130 // ER_HOST_NOT_PRIVILEGED: this proxy host is not allowed on that server; others may allow it
        or ErrorCodes.HandshakeError
        or 1927 // ER_CONNECTION_KILLED
        or (>= 1152 and <= 1161) // network errors (aborted connection, read/write errors and timeouts)
        or >= 2000; // client-side codes: never a server's answer to a login
}
